"""The scheduled jobs in the `omsbot run` process: APScheduler 3's AsyncIOScheduler.

Every process may run the scheduler: each job takes a PostgreSQL advisory lock (SQLite
writers take turns anyway) and its effects are idempotent. A failing job is logged, staff
are alerted once per failure streak (and at most once a day across processes), and the
scheduler carries on.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from bot.services import Service
from domain.automation.commands import JobOutcome, RaiseStaffAlert
from domain.automation.runner import describe, run_job

if TYPE_CHECKING:
    from aiohttp import web

    from bot.core import Core

log = logging.getLogger("omsbot.scheduler")
FIRST_RUN_AFTER = timedelta(seconds=60)  # give the process time to settle after start-up


def interval_jobs(core: Core) -> dict[str, timedelta]:
    s = core.settings
    return {"low-stock": s.job_low_stock_interval, "delays": s.job_delays_interval,
            "review-requests": s.job_review_requests_interval,
            "payment-reminders": s.job_payment_reminders_interval,
            "expire-unpaid": s.job_expire_unpaid_interval}


class JobScheduler:
    def __init__(self, core: Core) -> None:
        self.core = core
        self.failing: set[str] = set()
        self.scheduler = AsyncIOScheduler(timezone=core.settings.tz)

    def schedule(self, *, first_run_after: timedelta = FIRST_RUN_AFTER) -> None:
        start = datetime.now(self.core.settings.tz)
        for name, every in interval_jobs(self.core).items():
            self.scheduler.add_job(
                self.run, IntervalTrigger(seconds=every.total_seconds()), args=[name],
                id=name, name=name, max_instances=1, coalesce=True,
                misfire_grace_time=int(every.total_seconds()),
                next_run_time=start + min(every, first_run_after))
        hour, minute = (int(part) for part in self.core.settings.daily_report_at.split(":"))
        # Started after today's report time (a restart, a deploy): catch up soon; the
        # report is claimed once per day, so a report already sent is not sent again.
        catch_up = start.replace(hour=hour, minute=minute, second=0, microsecond=0) < start
        self.scheduler.add_job(
            self.run, CronTrigger(hour=hour, minute=minute, timezone=self.core.settings.tz),
            args=["daily-report"], id="daily-report", name="daily-report", max_instances=1,
            coalesce=True, misfire_grace_time=3600,
            **({"next_run_time": start + first_run_after} if catch_up else {}))

    async def start(self) -> None:
        self.schedule()
        self.scheduler.start()

    async def stop(self) -> None:
        if self.scheduler.running:
            self.scheduler.shutdown(wait=False)

    async def run(self, name: str) -> JobOutcome | None:
        """One run of `name`; never raises (the scheduler must carry on)."""
        try:
            outcome = await run_job(self.core.bus, name, timezone=self.core.settings.timezone)
        except Exception as exc:
            log.exception("scheduled job %s failed", name)
            await self._alert_failure(name, exc)
            return None
        if name in self.failing:
            self.failing.discard(name)
            log.info("scheduled job %s works again", name)
        log.info("%s", describe(outcome))
        return outcome

    async def _alert_failure(self, name: str, exc: Exception) -> None:
        if name in self.failing:
            return
        self.failing.add(name)
        day = self.core.clock.now().date().isoformat()
        text = (f"The scheduled job {name} failed: {type(exc).__name__}: {exc}. It is retried "
                f"on its schedule; details are in the omsbot log. This alert is not repeated "
                f"until the job has worked again.")
        try:
            await self.core.bus.handle(RaiseStaffAlert("job_failed", text[:3000],
                                                       dedupe_key=f"job_failed:{name}:{day}"))
        except Exception:
            log.exception("could not alert staff that %s failed", name)


def scheduler_services(core: Core, app: web.Application) -> list[Service]:
    if not core.settings.jobs_enabled:
        return []
    jobs = JobScheduler(core)
    return [Service("scheduler", jobs.start, jobs.stop)]
