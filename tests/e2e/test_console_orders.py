"""Partial cancellation, return receive at a warehouse and past ETAs in the staff console."""

from __future__ import annotations

from pathlib import Path

from bot.bootstrap import build_core
from domain.clock import FixedClock
from domain.inventory import commands as ic
from domain.orders import commands as oc
from domain.returns import commands as rc
from tests.catalog import order_command, small_shop
from tests.conftest import make_settings
from tests.e2e.test_console import omsbot
from tests.helpers import stock_state


async def test_staff_cancel_units_and_receive_a_return_where_they_say(
        database_url: str, clock: FixedClock, tmp_path: Path) -> None:
    core = build_core(make_settings(database_url), clock=clock)
    await small_shop(core.bus)
    await core.bus.handle(order_command("A", lines=(("MUG-01", 3),)))
    old = await core.bus.handle(order_command("OLD", status="delivered",
                                              delivered_at=clock.now()))
    ret = await core.bus.handle(rc.RequestReturn(old.order_id, "old order"))
    await core.bus.handle(rc.DecideReturn(ret.return_id, "approve"))
    await core.bus.handle(ic.ReceiveStock("TEA-01", "MIL", 1))
    await core.close()
    lines = ["cancel 1 mug-01:2 customer wants one", "order 1", "ship 1 BRT T1 eta 2020-01-01",
             f"return receive {ret.rma}", f"return receive {ret.rma} ROM", "quit"]

    done = omsbot(["shell"], database_url, tmp_path, "\n".join(lines) + "\n")

    out = done.stdout
    assert done.returncode == 0, done.stderr
    assert "cancelled ORD-000001" in out
    # A partial cancellation's reason belongs to the units, not to the order.
    assert "2 × MUG-01 cancelled (customer wants one)" in out
    assert "Cancelled: customer wants one" not in out
    assert "eta: is before today" in out
    assert "name the warehouse to restock at" in out
    core = build_core(make_settings(database_url), clock=clock)
    try:
        order = await core.views.order(1)
        assert order is not None
        assert (order["status"], order["lines"][0]["cancelled"]) == ("confirmed", 2)
        assert (order["cancel_reason"], order["lines"][0]["cancel_reason"]) == (
            None, "customer wants one")
        assert ("MUG-01", "MIL", 100, 1) in await stock_state(core)
        assert ("MUG-01", "ROM", 2, 0) in await stock_state(core)
        changed = await core.bus.handle(oc.CancelOrder(1, "rest"))
        assert changed.status == "cancelled"
        order = await core.views.order(1)
        assert order is not None and order["cancel_reason"] == "rest"  # a whole cancel
    finally:
        await core.close()
