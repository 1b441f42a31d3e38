"""Partial fulfilment on the Order aggregate: what is cancelled, released, returned, restocked."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest

from domain.clock import FixedClock
from domain.errors import InvalidInput, InvalidTransition, ValidationError
from domain.events import CancelledLine, OrderLinesCancelled
from domain.inventory import commands as ic
from domain.orders import commands as oc
from domain.orders import model as om
from domain.returns import commands as rc
from tests.catalog import order_command, small_shop
from tests.fakes import Store, fake_bus

NOW = datetime(2026, 11, 24, 10, 0, tzinfo=UTC)


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(NOW)


async def split_order(clock: FixedClock) -> tuple[object, Store, int]:
    """2 × MUG-01, one unit from MIL and one from ROM."""
    bus, store = fake_bus(clock)
    await small_shop(bus, stock=1)
    await bus.handle(ic.ReceiveStock("MUG-01", "ROM", 1))
    oid = (await bus.handle(order_command(lines=(("MUG-01", 2),)))).order_id
    assert sorted(s.warehouse for s in store.orders[oid].shipments) == ["MIL", "ROM"]
    return bus, store, oid


def new_order(*lines: tuple[str, int], shipped: dict[str, str] | None = None) -> om.Order:
    order = om.Order(external_id="X", channel="web", currency="EUR", customer_id=1,
                     shipping_address={}, shipping_method="standard", placed_at=NOW,
                     promised_ship_by=NOW, promised_delivery=NOW.date(), id=1)
    for sku, qty in lines:
        order.lines.append(om.OrderLine(sku, sku, qty, Decimal("10.00")))
        order.shipments.append(om.Shipment("MIL", [om.ShipmentItem(sku, qty)]))
    return order


def test_cancelling_some_units_releases_them_from_the_newest_parcel() -> None:
    order = new_order(("MUG-01", 3), ("TEA-01", 1))
    done = order.cancel_lines({"MUG-01": 2}, "changed mind")
    assert [(r.sku, r.warehouse, r.quantity) for r in done.releases] == [("MUG-01", "MIL", 2)]
    assert [(u.sku, u.quantity, u.unit_price) for u in done.units] == [
        ("MUG-01", 2, Decimal("10.00"))]
    assert not done.whole_order and order.status == om.CONFIRMED
    assert order.lines[0].cancelled == 2 and order.lines[0].open_quantity == 1
    assert order.unshipped_quantities() == {"MUG-01": 1, "TEA-01": 1}
    done = order.cancel_lines({"MUG-01": 1, "TEA-01": 1}, "")
    assert done.whole_order and order.status == om.CANCELLED
    assert all(s.status == om.SHIPMENT_CANCELLED for s in order.shipments)


def test_cancelling_more_than_is_unshipped_is_refused_per_sku() -> None:
    order = new_order(("MUG-01", 1))
    with pytest.raises(InvalidInput, match=r"lines\.MUG-01: only 1 unshipped"):
        order.cancel_lines({"MUG-01": 2}, "")
    with pytest.raises(InvalidInput, match=r"lines\.NOPE"):
        order.cancel_lines({"NOPE": 1}, "")
    with pytest.raises(InvalidInput):
        order.cancel_lines({"MUG-01": 0}, "")
    assert order.lines[0].cancelled == 0


def test_a_shipped_order_has_nothing_left_to_cancel() -> None:
    order = new_order(("MUG-01", 1))
    order.ship(order.shipments[0], "BRT", "T1", None, NOW)
    with pytest.raises(InvalidTransition, match="allowed: deliver"):
        order.cancel("")


async def test_cancel_of_a_partially_shipped_order_follows_its_shipped_parcel(
        clock: FixedClock) -> None:
    bus, store, oid = await split_order(clock)
    await bus.handle(oc.ShipOrder(oid, "BRT", "T1", warehouse="MIL"))
    assert store.orders[oid].status == "partially_shipped"
    await bus.handle(oc.CancelOrder(oid, "ROM unit damaged"))
    order = store.orders[oid]
    assert order.status == "shipped"
    assert order.lines[0].cancelled == 1
    assert store.stock[("MUG-01", "ROM")].reserved == 0
    assert store.stock[("MUG-01", "ROM")].on_hand == 1
    await bus.handle(oc.RecordTrackingEvent("T1", "delivered"))
    assert store.orders[oid].status == "delivered"
    ret = await bus.handle(rc.RequestReturn(oid, "does not fit"))
    lines = [(ln.sku, ln.quantity, ln.warehouse) for ln in store.returns[ret.return_id].lines]
    assert lines == [("MUG-01", 1, "MIL")]


async def test_partial_cancellation_raises_order_lines_cancelled(clock: FixedClock) -> None:
    bus, store, oid = await split_order(clock)
    raised: list[object] = []
    original = bus.policy

    async def spy(event: object, uow: object, ctx: object) -> object:
        raised.append(event)
        return await original(event, uow, ctx)  # type: ignore[arg-type]

    bus.policy = spy  # type: ignore[assignment]
    await bus.handle(oc.CancelOrder(oid, "", (oc.CancelLine("mug-01", 1),)))
    cancelled = [e for e in raised if isinstance(e, OrderLinesCancelled)]
    assert cancelled == [OrderLinesCancelled(oid, store.orders[oid].customer_id, "EUR", (
        CancelledLine("MUG-01", 1, Decimal("12.50")),), whole_order=False,
        notify_customer=True)]
    assert store.orders[oid].refunded == Decimal("12.50")  # paid: the unit's money back
    assert store.orders[oid].status == "confirmed"
    assert sum(lv.reserved for (sku, _), lv in store.stock.items() if sku == "MUG-01") == 1


async def test_freed_stock_serves_the_oldest_backorder_not_a_new_order(
        clock: FixedClock) -> None:
    bus, store = fake_bus(clock)
    await small_shop(bus, stock=1)
    await bus.handle(ic.UpsertProduct("MUG-01", "Mug", Decimal("12.50"), "EUR",
                                      allow_backorder=True))
    a = (await bus.handle(order_command("A", lines=(("MUG-01", 1),)))).order_id
    b = (await bus.handle(order_command("B", lines=(("MUG-01", 1),)))).order_id
    assert store.orders[b].status == "backordered"
    await bus.handle(oc.CancelOrder(a, "customer asked"))
    c = (await bus.handle(order_command("C", lines=(("MUG-01", 1),)))).order_id
    assert store.orders[b].status == "confirmed"
    assert store.orders[c].status == "backordered"
    assert store.stock[("MUG-01", "MIL")].reserved == 1


async def test_split_return_restocks_each_unit_where_it_shipped_from(
        clock: FixedClock) -> None:
    bus, store, oid = await split_order(clock)
    await bus.handle(oc.ShipOrder(oid, "BRT", "T1", warehouse="MIL"))
    await bus.handle(oc.ShipOrder(oid, "BRT", "T2", warehouse="ROM"))
    await bus.handle(oc.DeliverOrder(oid))
    ret = await bus.handle(rc.RequestReturn(oid, "both broken"))
    for action in ("approve", "receive"):
        await bus.handle(rc.DecideReturn(ret.return_id, action))
    assert store.stock[("MUG-01", "MIL")].on_hand == 1
    assert store.stock[("MUG-01", "ROM")].on_hand == 1


async def test_return_of_imported_history_asks_for_the_warehouse(clock: FixedClock) -> None:
    bus, store = fake_bus(clock)
    await small_shop(bus)
    oid = (await bus.handle(order_command("OLD-1", status="delivered",
                                          delivered_at=NOW))).order_id
    ret = await bus.handle(rc.RequestReturn(oid, "old order"))
    await bus.handle(rc.DecideReturn(ret.return_id, "approve"))
    with pytest.raises(ValidationError, match="name the warehouse"):
        await bus.handle(rc.DecideReturn(ret.return_id, "receive"))
    await bus.handle(rc.DecideReturn(ret.return_id, "receive", warehouse="ROM"))
    assert store.stock[("MUG-01", "ROM")].on_hand == 2
    assert store.returns[ret.return_id].lines[0].warehouse == "ROM"
