"""An order's rows as stored: on PostgreSQL one statement (storage.order_insert_pg), on
SQLite one per table. The ids set on the aggregate are the stored rows' ids, whatever the
shape: several lines (a SKU twice), parcels from two warehouses, several items each."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from bot.bootstrap import Core
from domain.inventory import commands as ic
from storage import order_insert_pg, orm
from tests.catalog import order_command, small_shop

LINES = (("MUG-01", 2), ("TEA-01", 3), ("MUG-01", 1), ("CUP-01", 4))


async def _stored(core: Core, order_id: int) -> dict[str, Any]:
    async with core.db.read_sessions() as s:
        lines = (await s.execute(select(orm.order_lines.c.id, orm.order_lines.c.sku,
                                        orm.order_lines.c.quantity).where(
            orm.order_lines.c.order_id == order_id).order_by(orm.order_lines.c.id))).all()
        parcels = (await s.execute(select(orm.shipments.c.id, orm.shipments.c.warehouse).where(
            orm.shipments.c.order_id == order_id).order_by(orm.shipments.c.id))).all()
        items = (await s.execute(select(
            orm.shipment_items.c.id, orm.shipment_items.c.shipment_id,
            orm.shipment_items.c.sku, orm.shipment_items.c.quantity).where(
            orm.shipment_items.c.shipment_id.in_([p.id for p in parcels])).order_by(
            orm.shipment_items.c.id))).all()
    return {"lines": [tuple(r) for r in lines], "parcels": [tuple(r) for r in parcels],
            "items": [tuple(r) for r in items]}


async def test_the_ids_on_the_aggregate_are_the_stored_rows(core: Core) -> None:
    from decimal import Decimal

    await small_shop(core.bus)
    await core.bus.handle(ic.UpsertProduct("CUP-01", "Cup", Decimal("5.00"), "EUR"))
    await core.bus.handle(ic.ReceiveStock("CUP-01", "ROM", 10))
    placed = await core.bus.handle(order_command("SHAPE-1", lines=LINES))
    async with core.db.sessions() as s:
        from domain.orders import model as om

        order = await s.get(om.Order, placed.order_id)
        assert order is not None
        stored = await _stored(core, placed.order_id)
        assert stored["lines"] == [(ln.id, ln.sku, ln.quantity) for ln in order.lines]
        assert sorted(stored["lines"], key=lambda r: r[0]) == stored["lines"]
        assert [r[1:] for r in stored["lines"]] == list(LINES)
        assert {w for _, w in stored["parcels"]} == {"MIL", "ROM"}
        by_parcel = {p.id: p.warehouse for p in order.shipments}
        assert [(i[1], i[2], i[3]) for i in stored["items"]] == [
            (s_.id, it.sku, it.quantity) for s_ in order.shipments for it in s_.items]
        assert {(by_parcel[i[1]], i[2]) for i in stored["items"]} == {
            ("MIL", "MUG-01"), ("ROM", "TEA-01"), ("ROM", "CUP-01")}
    if not core.db.is_sqlite:
        assert order_insert_pg._STATEMENTS, "PostgreSQL took the one-statement path"


def _aggregate(customer_id: int) -> Any:
    from datetime import UTC, date, datetime
    from decimal import Decimal

    from domain.orders import model as om
    from domain.orders import parts

    at = datetime(2026, 11, 30, 10, tzinfo=UTC)
    order = om.Order(
        external_id="SHAPE-3", channel="web", currency="EUR", customer_id=customer_id,
        shipping_address={"country": "IT"}, shipping_method="standard", placed_at=at,
        promised_ship_by=at, promised_delivery=date(2026, 12, 2), flags=[],
        idempotency_key=None, idempotency_scope=None, request_fingerprint="f",
        prices_include_tax=True)
    for sku, quantity in LINES:
        order.lines.append(om.OrderLine(sku=sku, name=sku, quantity=quantity,
                                        unit_price=Decimal(1), unit_cost=None,
                                        tax_rate=Decimal(0)))
    for warehouse, items in (("ROM", (("TEA-01", 3), ("CUP-01", 4))),
                             ("MIL", (("MUG-01", 3),)), ("MIL", ()), ("ROM", (("TEA-01", 1),))):
        parcel = parts.Shipment(warehouse=warehouse)
        parcel.items.extend(parts.ShipmentItem(sku=k, quantity=q) for k, q in items)
        order.shipments.append(parcel)
    order.recompute_totals(lambda amount: amount)
    return order


async def test_insert_order_sets_the_ids_of_the_stored_rows(core: Core) -> None:
    """The ids `insert_order` sets on the aggregate (and attaches to the session) are
    those of the rows it stored: two parcels from one warehouse, a SKU on two lines."""
    await small_shop(core.bus)
    first = await core.bus.handle(order_command("SHAPE-0"))
    customer_id = (await core.views.order(first.order_id) or {})["customer"]
    async with core.db.sessions() as s:
        from storage.order_writes import insert_order

        cid = await s.scalar(select(orm.customers.c.id).where(
            orm.customers.c.email == customer_id["email"]))
        order = _aggregate(int(cid))
        await insert_order(s, order)
        await s.commit()
    assert order.id is not None
    stored = await _stored(core, order.id)
    assert stored["lines"] == [(ln.id, ln.sku, ln.quantity) for ln in order.lines]
    assert stored["parcels"] == [(p.id, p.warehouse) for p in order.shipments]
    assert sorted(stored["items"]) == sorted(
        (i.id, p.id, i.sku, i.quantity) for p in order.shipments for i in p.items)


async def test_the_placed_view_names_the_stored_ids(core: Core) -> None:
    await small_shop(core.bus)
    placed = await core.bus.handle(order_command("SHAPE-2", lines=(("MUG-01", 1),)))
    view = await core.views.order(placed.order_id)
    assert view is not None
    assert placed.view["shipments"][0]["id"] == view["shipments"][0]["id"]
    assert placed.view["lines"] == view["lines"]
