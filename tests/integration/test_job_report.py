"""daily-report: yesterday's figures, once per day (SQLite and PostgreSQL)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

from bot.bootstrap import Core
from domain.automation.commands import SendDailyReport
from domain.clock import FixedClock
from domain.inventory import commands as ic
from domain.orders import commands as oc
from domain.returns import commands as rc
from tests.catalog import order_command, small_shop
from tests.conftest import NOW
from tests.jobs_support import outbox, run


async def test_report_of_yesterday_once(core: Core, clock: FixedClock) -> None:
    await small_shop(core.bus)
    await core.bus.handle(ic.UpsertProduct("TEA-01", "Tea", Decimal("8.00"), "EUR",
                                           reorder_point=30))
    first = await core.bus.handle(order_command("D-1"))  # 25.00 EUR
    await core.bus.handle(order_command("D-2", lines=(("MUG-01", 4),)))  # 50.00 EUR
    cancelled = await core.bus.handle(order_command("D-3"))
    await core.bus.handle(oc.CancelOrder(cancelled.order_id, "changed mind"))
    usd = order_command("D-4", lines=())
    await core.bus.handle(replace(usd, currency="USD", lines=(
        oc.LineRequest("MUG-01", 1, Decimal("14.00")),)))
    await core.bus.handle(oc.ShipOrder(first.order_id, "BRT", "TRK1"))
    await core.bus.handle(oc.DeliverOrder(first.order_id))
    await core.bus.handle(rc.RequestReturn(first.order_id, "broken"))
    await run(core, "low-stock")  # TEA-01 at ROM crosses today
    clock.advance(hours=49)
    await run(core, "delays")  # D-2 and D-4: not shipped in time, alerted on the 26th

    clock.set(NOW.replace(day=25, hour=8))
    outcome = await run(core, "daily-report")
    [text] = outcome.lines
    assert text.startswith("Daily report for Tue 24 Nov 2026 (UTC)")
    # D-3 was cancelled; the USD order has no rate: counted, named, not mixed in.
    assert "• Orders: 3 · revenue 75.00 EUR · refunds 0.00 EUR · net 75.00 EUR" in text
    assert "• Margin: 50.40 EUR (net revenue − cost of goods)" in text  # 75.00 − 6 × 4.10
    assert "• Not converted (no USD rate on their day): 1 order, 14.00 USD" in text
    assert "• Shipped: 1 · Delivered: 1" in text
    assert "• Delayed: 0" in text
    assert "• Returns requested: 1" in text
    assert "• Low stock: 1 SKU/warehouse pairs at or below their reorder point, 1 new" in text
    assert "TEA-01 at ROM" in text
    [note] = await outbox(core, "daily_report")
    assert (note["channel"], note["recipient"]) == ("slack", "staff")
    assert note["payload"]["text"] == text and note["payload"]["revenue"] == "75.00"
    assert note["payload"]["sales"]["by_channel"] == [
        {"channel": "web", "orders": 3, "net_revenue": "75.00", "margin": "50.40"}]

    again = await run(core, "daily-report")
    assert again.lines == () and again.skipped == "the report for 2026-11-24 was already sent"
    assert len(await outbox(core, "daily_report")) == 1

    later = await core.bus.handle(SendDailyReport(day=date(2026, 11, 26)))
    assert "• Delayed: 2" in later.lines[0] and "• Orders: 0 · revenue 0.00 EUR" in later.lines[0]
