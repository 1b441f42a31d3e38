"""The order domain over in-memory fakes: rules, routing, events, notifications."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest

from domain.clock import FixedClock
from domain.errors import DomainError, InsufficientStock, InvalidInput, InvalidTransition
from domain.inventory import commands as ic
from domain.orders import commands as oc
from domain.returns import commands as rc
from tests.catalog import order_command, small_shop
from tests.fakes import Store, fake_bus

NOW = datetime(2026, 11, 24, 10, 0, tzinfo=UTC)


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(NOW)


async def shop(clock: FixedClock, stock: int = 100) -> tuple[object, Store]:
    bus, store = fake_bus(clock)
    await small_shop(bus, stock)
    return bus, store


async def test_order_is_confirmed_reserved_and_notified(clock: FixedClock) -> None:
    bus, store = fake_bus(clock)
    await small_shop(bus)
    result = await bus.handle(order_command(lines=(("MUG-01", 2), ("TEA-01", 1))))
    order = store.orders[result.order_id]
    assert order.status == "confirmed"
    assert order.total == Decimal("33.00")
    assert store.stock[("MUG-01", "MIL")].reserved == 2
    assert store.stock[("TEA-01", "ROM")].reserved == 1
    assert sorted(s.warehouse for s in order.shipments) == ["MIL", "ROM"]  # split
    kinds = [(n.channel, n.kind, n.recipient) for n in store.outbox]
    assert kinds == [("email", "order_confirmation", "ada@example.com")]
    assert store.outbox[0].locale == "it"
    assert order.promised_ship_by == NOW + timedelta(hours=48)
    assert order.promised_delivery == date(2026, 12, 1)


async def test_whole_order_from_one_warehouse_when_possible(clock: FixedClock) -> None:
    bus, store = fake_bus(clock)
    await small_shop(bus)
    await bus.handle(ic.ReceiveStock("TEA-01", "MIL", 5))
    result = await bus.handle(order_command(lines=(("MUG-01", 2), ("TEA-01", 1))))
    assert [s.warehouse for s in store.orders[result.order_id].shipments] == ["MIL"]


async def test_nearest_warehouse_wins_when_coordinates_are_known(clock: FixedClock) -> None:
    bus, store = fake_bus(clock)
    await small_shop(bus)
    await bus.handle(ic.ReceiveStock("MUG-01", "ROM", 10))
    cmd = order_command(lines=(("MUG-01", 1),))
    near_rome = dict(cmd.shipping_address, lat=41.89, lon=12.49)
    from dataclasses import replace

    result = await bus.handle(replace(cmd, shipping_address=near_rome))
    assert [s.warehouse for s in store.orders[result.order_id].shipments] == ["ROM"]


async def test_shortage_names_each_line_and_writes_nothing(clock: FixedClock) -> None:
    bus, store = fake_bus(clock)
    await small_shop(bus, stock=1)
    commits = store.commits
    with pytest.raises(InsufficientStock) as caught:
        await bus.handle(order_command(lines=(("MUG-01", 1), ("MUG-01", 1))))
    assert [(s.sku, s.requested, s.available) for s in caught.value.shortages] == [
        ("MUG-01", 2, 1)]
    assert store.commits == commits
    assert store.stock[("MUG-01", "MIL")].reserved == 0


async def test_backorder_when_the_product_allows_it(clock: FixedClock) -> None:
    bus, store = fake_bus(clock)
    await small_shop(bus, stock=0)
    await bus.handle(ic.UpsertProduct("MUG-01", "Mug", Decimal("12.50"), "EUR",
                                      allow_backorder=True))
    result = await bus.handle(order_command())
    assert store.orders[result.order_id].status == "backordered"
    received = await bus.handle(ic.ReceiveStock("MUG-01", "MIL", 5))
    assert received.allocated_orders == (result.order_id,)
    assert store.orders[result.order_id].status == "confirmed"
    assert store.stock[("MUG-01", "MIL")].reserved == 2


async def test_unknown_sku_and_bad_quantity_are_named_by_path(clock: FixedClock) -> None:
    bus, _ = fake_bus(clock)
    await small_shop(bus)
    with pytest.raises(InvalidInput) as caught:
        await bus.handle(order_command(lines=(("NOPE", 1), ("MUG-01", 0))))
    assert [p for p, _ in caught.value.problems] == ["lines.0.sku", "lines.1.quantity"]


async def test_status_machine_refuses_and_lists_what_is_allowed(clock: FixedClock) -> None:
    bus, store = fake_bus(clock)
    await small_shop(bus)
    oid = (await bus.handle(order_command())).order_id
    await bus.handle(oc.HoldOrder(oid))
    with pytest.raises(InvalidTransition) as caught:
        await bus.handle(oc.ShipOrder(oid, "BRT", "T1"))
    assert caught.value.status == "on_hold"
    assert caught.value.allowed == ["cancel", "release"]
    await bus.handle(oc.ReleaseOrder(oid))
    assert store.orders[oid].status == "confirmed"


async def test_cancel_releases_stock(clock: FixedClock) -> None:
    bus, store = fake_bus(clock)
    await small_shop(bus)
    oid = (await bus.handle(order_command())).order_id
    await bus.handle(oc.CancelOrder(oid, "customer changed mind"))
    assert store.stock[("MUG-01", "MIL")].reserved == 0
    assert store.orders[oid].cancel_reason == "customer changed mind"
    with pytest.raises(InvalidTransition):
        await bus.handle(oc.CancelOrder(oid))


async def test_pending_payment_then_confirm(clock: FixedClock) -> None:
    bus, store = fake_bus(clock)
    await small_shop(bus)
    oid = (await bus.handle(order_command(payment_status="pending"))).order_id
    assert store.orders[oid].status == "pending_payment"
    await bus.handle(oc.ConfirmPayment(oid))
    assert (store.orders[oid].status, store.orders[oid].payment_status) == ("confirmed", "paid")


async def test_split_order_ships_in_two_steps(clock: FixedClock) -> None:
    bus, store = fake_bus(clock)
    await small_shop(bus)
    oid = (await bus.handle(order_command(lines=(("MUG-01", 1), ("TEA-01", 1))))).order_id
    await bus.handle(oc.ShipOrder(oid, "BRT", "T1"))
    assert store.orders[oid].status == "partially_shipped"
    await bus.handle(oc.ShipOrder(oid, "BRT", "T2"))
    assert store.orders[oid].status == "shipped"
    assert store.stock[("MUG-01", "MIL")].on_hand == 99
    await bus.handle(oc.RecordTrackingEvent("T1", "delivered"))
    assert store.orders[oid].status == "shipped"
    await bus.handle(oc.RecordTrackingEvent("T2", "out_for_delivery"))
    await bus.handle(oc.RecordTrackingEvent("T2", "out_for_delivery"))  # repeated: no effect
    await bus.handle(oc.RecordTrackingEvent("T2", "delivered"))
    assert store.orders[oid].status == "delivered"
    kinds = [n.kind for n in store.outbox if n.channel == "email"]
    assert kinds == ["order_confirmation", "order_shipped", "order_shipped", "order_delivered"]


async def test_return_flow_restocks_and_refunds(clock: FixedClock) -> None:
    bus, store = fake_bus(clock)
    await small_shop(bus)
    oid = (await bus.handle(order_command())).order_id
    await bus.handle(oc.ShipOrder(oid, "BRT", "T1"))
    await bus.handle(oc.DeliverOrder(oid))
    ret = await bus.handle(rc.RequestReturn(oid, "too small"))
    assert ret.rma == "RMA-000001"
    for action in ("approve", "receive", "refund"):
        await bus.handle(rc.DecideReturn(ret.return_id, action))
    assert store.returns[ret.return_id].refund_amount == Decimal("25.00")
    assert store.orders[oid].payment_status == "refunded"
    assert store.stock[("MUG-01", "MIL")].on_hand == 100
    kinds = [n.kind for n in store.outbox]
    assert "return_requested" in kinds and "return_approved" in kinds
    assert "refund_issued" in kinds
    with pytest.raises(InvalidInput):
        await bus.handle(rc.RequestReturn(oid, "again"))  # nothing left to return


async def test_return_window_and_exchange(clock: FixedClock) -> None:
    bus, store = fake_bus(clock)
    await small_shop(bus)
    oid = (await bus.handle(order_command())).order_id
    with pytest.raises(DomainError):
        await bus.handle(rc.RequestReturn(oid, "not delivered yet"))
    await bus.handle(oc.ShipOrder(oid, "BRT", "T1"))
    await bus.handle(oc.DeliverOrder(oid))
    ret = await bus.handle(rc.RequestReturn(oid, "wrong colour", exchange=True))
    await bus.handle(rc.DecideReturn(ret.return_id, "approve"))
    received = await bus.handle(rc.DecideReturn(ret.return_id, "receive"))
    replacement = store.orders[received.replacement_order_id]
    assert replacement.flags == ["replacement"] and replacement.total == Decimal("0.00")
    clock.advance(days=31)
    oid2 = (await bus.handle(order_command("WEB-2"))).order_id
    await bus.handle(oc.ShipOrder(oid2, "BRT", "T9"))
    await bus.handle(oc.DeliverOrder(oid2))
    clock.advance(days=31)
    with pytest.raises(DomainError, match="return window"):
        await bus.handle(rc.RequestReturn(oid2, "late"))


async def test_review_and_vip_alert(clock: FixedClock) -> None:
    bus, store = fake_bus(clock)
    await small_shop(bus)
    oid = (await bus.handle(order_command(flags=("vip",)))).order_id
    assert [n.kind for n in store.outbox if n.channel == "slack"] == ["vip_order"]
    with pytest.raises(DomainError):
        await bus.handle(oc.RecordReview(oid, 5))
    await bus.handle(oc.ShipOrder(oid, "BRT", "T1"))
    await bus.handle(oc.DeliverOrder(oid))
    await bus.handle(oc.RecordReview(oid, 1, "broken"))
    assert store.orders[oid].review_rating == 1
    assert [n.kind for n in store.outbox if n.channel == "slack"][-1] == "low_rating"


async def test_every_change_is_audited(clock: FixedClock) -> None:
    bus, store = fake_bus(clock)
    await small_shop(bus)
    oid = (await bus.handle(order_command())).order_id
    await bus.handle(oc.ShipOrder(oid, "BRT", "T1"))
    actions = [a.action for a in store.audit if a.subject == "ORD-000001"]
    assert actions == ["order.place", "order.ship"]
    assert all(a.at == NOW for a in store.audit)
