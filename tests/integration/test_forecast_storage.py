"""What `forecast SKU` reads, on SQLite and PostgreSQL: stock per warehouse, open purchase
orders, units sold over 30 and 7 days (cancelled orders and older ones left out), and the
reply the staff service builds from it."""

from __future__ import annotations

from datetime import date, timedelta

from bot.bootstrap import Core
from bot.slack import build_staff_service
from bot.staff import local_admin
from channels import staff_requests as sr
from domain.automation.model import PO_CANCELLED, PurchaseOrder
from domain.clock import FixedClock
from domain.orders import commands as oc
from storage.uow import SqlUnitOfWork
from tests.catalog import order_command, small_shop


async def sell(core: Core, clock: FixedClock, days_ago: int, units: int, ref: str) -> int:
    """An order of `units` MUG-01 placed `days_ago` days before the clock's now."""
    now = clock.now()
    clock.set(now - timedelta(days=days_ago))
    try:
        placed = await core.bus.handle(order_command(ref, lines=(("MUG-01", units),)))
    finally:
        clock.set(now)
    return int(placed.order_id)


async def test_figures_per_warehouse_and_in_total(core: Core, clock: FixedClock) -> None:
    await small_shop(core.bus, stock=40)
    await sell(core, clock, 2, 3, "W1")  # recent: in both windows
    await sell(core, clock, 20, 5, "W2")  # in the 30 days only
    await sell(core, clock, 40, 7, "W3")  # too old
    cancelled = await sell(core, clock, 1, 4, "W4")
    await core.bus.handle(oc.CancelOrder(cancelled, "duplicate"))
    async with SqlUnitOfWork(core.db) as uow:
        for warehouse, quantity, status in (("ROM", 50, "approved"), ("MIL", 10, "draft"),
                                            ("MIL", 99, PO_CANCELLED)):
            await uow.purchase_orders.add(PurchaseOrder(
                "MUG-01", warehouse, quantity, None, clock.now(), status=status))
        await uow.commit()

    found = await core.views.product_figures("mug-01", clock.now())

    assert found is not None
    assert (found.sku, found.reorder_point, found.reorder_quantity) == ("MUG-01", 5, 50)
    levels = {level.warehouse: level for level in found.levels}
    assert set(levels) == {"MIL", "ROM"}  # ROM: only a purchase order
    mil = levels["MIL"]
    assert (mil.available, mil.on_order, mil.sold, mil.sold_recent) == (40 - 15, 10, 8, 3)
    assert (levels["ROM"].available, levels["ROM"].on_order, levels["ROM"].sold) == (0, 50, 0)
    assert (found.sold, found.sold_recent, found.unassigned) == (8, 3, 0)
    assert await core.views.product_figures("NOPE-1", clock.now()) is None


async def test_the_staff_reply_counts_days_in_the_shop_time_zone(core: Core,
                                                                 clock: FixedClock) -> None:
    await small_shop(core.bus, stock=30)
    await sell(core, clock, 3, 15, "W1")  # 0.5 a day: 15 left last 30 days
    service = build_staff_service(core)

    reply = await service.execute(sr.ShowForecast("MUG-01"), local_admin())
    text = await service.handle_text("forecast NOPE-1", local_admin(), prefix="")

    outlook = reply.context["forecast"].total
    assert reply.template == "forecast" and outlook.cover_days is not None
    today = clock.now().date()  # the test shop's time zone is UTC
    assert outlook.stock_out == today + timedelta(days=30) and outlook.reorder == 0
    assert outlook.reorder_by == today + timedelta(days=20)  # (15 - 5) at 0.5 a day
    assert reply.context["forecast"].today == today and isinstance(today, date)
    assert text.template == "error" and "NOPE-1" in str(text.context["message"])
