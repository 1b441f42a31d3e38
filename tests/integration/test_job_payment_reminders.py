"""payment-reminders on SQLite and PostgreSQL: an unpaid order is told it waits for its
payment, reminded once after OMSBOT_PAYMENT_REMINDER_AFTER, and confirmed when paid."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from pathlib import Path

from bot.bootstrap import Core
from domain.accounting.commands import RecordPayment
from domain.clock import FixedClock
from tests.catalog import order_command, small_shop
from tests.e2e.test_jobs_cli import omsbot
from tests.jobs_support import outbox, run


async def test_unpaid_orders_wait_are_reminded_once_and_confirmed_when_paid(
        core: Core, clock: FixedClock) -> None:
    await small_shop(core.bus)
    placed = await core.bus.handle(order_command("U-1", payment_status="pending"))
    await core.bus.handle(order_command("P-1"))
    assert [n["kind"] for n in await outbox(core) if n["channel"] == "email"] == [
        "order_awaiting_payment", "order_confirmation"]

    clock.advance(hours=11, minutes=59)
    assert (await run(core, "payment-reminders")).lines == ()
    clock.advance(minutes=2)
    first = await run(core, "payment-reminders")
    again = await run(core, "payment-reminders")

    assert first.lines == ("ORD-000001: payment reminder sent",) and again.lines == ()
    [reminder] = await outbox(core, "payment_reminder")
    assert (reminder["recipient"], reminder["order_id"]) == ("ada@example.com", 1)
    await core.bus.handle(RecordPayment(placed.order_id, Decimal("25.00"), method="bank"))
    view = await core.views.order(placed.order_id)
    assert view is not None and (view["status"], view["payment_status"]) == ("confirmed", "paid")
    confirmations = await outbox(core, "order_confirmation")
    assert [n["order_id"] for n in confirmations] == [2, 1]


async def test_past_the_hold_no_reminder_and_the_cli_runs_the_job(
        core: Core, clock: FixedClock, database_url: str, tmp_path: Path) -> None:
    await small_shop(core.bus)
    await core.bus.handle(order_command("U-1", payment_status="pending",
                                        placed_at=clock.now() - timedelta(hours=25)))
    await core.bus.handle(order_command("U-2", payment_status="pending",
                                        placed_at=clock.now() - timedelta(hours=13)))
    # The subprocess runs on the real clock: the fixed clock's orders are days in the past.
    done = omsbot(database_url, tmp_path, "jobs", "run", "payment-reminders")
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().endswith("payment-reminders: nothing to do")
    outcome = await run(core, "payment-reminders")
    assert outcome.lines == ("ORD-000002: payment reminder sent",)
