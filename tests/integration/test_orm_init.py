"""Mapped domain objects built without attribute events (storage.orm_init) behave, for the
ORM, as those built through SQLAlchemy's instrumented attributes: the plain flush stores
them, children passed to the constructor or appended later get their foreign keys, an
empty collection reads as empty after the commit, and later changes are flushed."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import inspect, select

from bot.bootstrap import Core
from domain.notifications import Notification
from domain.orders import model as om
from storage import orm
from storage.mapping import start_mappers
from tests.catalog import order_command, small_shop

AT = datetime(2026, 11, 30, 10, tzinfo=UTC)


def _order(customer_id: int, external_id: str, **extra: Any) -> om.Order:
    return om.Order(
        external_id=external_id, channel="web", currency="EUR", customer_id=customer_id,
        shipping_address={"country": "IT", "lines": ["Via Roma 1"]},
        shipping_method="standard", placed_at=AT, promised_ship_by=AT,
        promised_delivery=date(2026, 12, 2), **extra)


async def _customer(core: Core) -> int:
    await small_shop(core.bus)
    await core.bus.handle(order_command("FIRST"))
    async with core.db.read_sessions() as s:
        return int(await s.scalar(select(orm.customers.c.id)) or 0)


def test_every_mapped_dataclass_gets_the_event_free_constructor() -> None:
    start_mappers()
    for cls in (om.Order, om.OrderLine, om.Shipment, om.ShipmentItem, Notification):
        init = inspect(cls).class_manager.original_init
        assert getattr(init, "_omsbot_fields", False), cls


def test_fields_and_defaults_are_those_of_the_dataclass() -> None:
    start_mappers()
    order = _order(7, "F-1", flags=["gift"])
    assert (order.status, order.paid, order.flags, order.id) == (
        om.CONFIRMED, Decimal(0), ["gift"], None)
    assert list(order.lines) == [] and list(order.shipments) == []
    assert order.shipping_address == {"country": "IT", "lines": ["Via Roma 1"]}
    other = _order(7, "F-2")
    other.lines.append(om.OrderLine("MUG-01", "Mug", 1, Decimal(1)))
    assert list(order.lines) == [] and len(other.lines) == 1  # no shared default list


async def test_the_plain_flush_stores_children_given_and_appended(core: Core) -> None:
    customer_id = await _customer(core)
    given = om.Shipment(warehouse="MIL", items=[om.ShipmentItem("MUG-01", 2)])
    async with core.db.sessions() as s:
        order = _order(customer_id, "ORM-1", lines=[
            om.OrderLine("MUG-01", "Mug", 2, Decimal("12.50"))], shipments=[given])
        order.lines.append(om.OrderLine("TEA-01", "Tea", 1, Decimal("8.00")))
        empty = om.Shipment(warehouse="ROM")
        order.shipments.append(empty)
        order.status = om.PENDING_PAYMENT  # a change after construction
        s.add(order)
        await s.commit()
        order_id = order.id
    async with core.db.sessions() as s:
        stored = await s.get(om.Order, order_id)
        assert stored is not None and stored.status == om.PENDING_PAYMENT
        assert [(ln.sku, ln.quantity) for ln in stored.lines] == [("MUG-01", 2), ("TEA-01", 1)]
        assert [(p.warehouse, [(i.sku, i.quantity) for i in p.items])
                for p in stored.shipments] == [("MIL", [("MUG-01", 2)]), ("ROM", [])]
        assert stored.shipping_address == {"country": "IT", "lines": ["Via Roma 1"]}


async def test_an_empty_collection_reads_empty_and_takes_later_children(core: Core) -> None:
    customer_id = await _customer(core)
    async with core.db.sessions() as s:
        order = _order(customer_id, "ORM-2")
        s.add(order)
        await s.commit()
        assert list(order.lines) == []  # no lazy load: the collection was set, empty
        order.lines.append(om.OrderLine("MUG-01", "Mug", 3, Decimal("12.50")))
        await s.commit()
        order_id = order.id
    async with core.db.read_sessions() as s:
        rows = (await s.execute(select(orm.order_lines.c.sku, orm.order_lines.c.quantity)
                                .where(orm.order_lines.c.order_id == order_id))).all()
    assert [tuple(r) for r in rows] == [("MUG-01", 3)]
