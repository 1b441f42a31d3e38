"""Run a job by name, batch after batch, until it has nothing more to do."""

from __future__ import annotations

from collections.abc import Callable

from domain.accounting.reminders import SendPaymentReminders
from domain.automation import commands as c
from domain.messagebus import Actor, MessageBus

SCHEDULER = Actor("scheduler", "system")
MAX_BATCHES = 1000  # a safety net: a job that keeps finding work stops after this many

JobFactory = Callable[[str], object]  # shop time zone -> the job's command

JOBS: dict[str, JobFactory] = {
    "low-stock": lambda tz: c.CheckLowStock(),
    "delays": lambda tz: c.CheckDelays(timezone=tz),
    "review-requests": lambda tz: c.SendReviewRequests(),
    "payment-reminders": lambda tz: SendPaymentReminders(),
    "expire-unpaid": lambda tz: c.ExpireUnpaidOrders(),
    "daily-report": lambda tz: c.SendDailyReport(timezone=tz),
}
JOB_NAMES = tuple(JOBS)


async def run_job(bus: MessageBus, name: str, *, timezone: str = "UTC",
                  actor: Actor = SCHEDULER) -> c.JobOutcome:
    """One run of job `name`: its command again while a batch came back full."""
    if name not in JOBS:
        raise LookupError(f"no job called {name!r}: use one of {', '.join(JOB_NAMES)}")
    lines: list[str] = []
    outcome = c.JobOutcome(name)
    for _ in range(MAX_BATCHES):
        outcome = await bus.handle(JOBS[name](timezone), actor)
        lines += outcome.lines
        if not outcome.more or outcome.skipped:
            break
    return c.JobOutcome(name, tuple(lines), skipped=outcome.skipped if not lines else None)


def describe(outcome: c.JobOutcome) -> str:
    """One line that sums up a run, for the command line and the log."""
    if outcome.skipped:
        return f"{outcome.job}: skipped: {outcome.skipped}"
    if not outcome.lines:
        return f"{outcome.job}: nothing to do"
    plural = "" if outcome.effects == 1 else "s"
    return f"{outcome.job}: {outcome.effects} effect{plural}"
