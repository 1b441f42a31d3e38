"""Storing a new order aggregate with Core: one INSERT … RETURNING per table (lines,
parcels and their items as one multi-row statement each), instead of the ORM's flush.

The stored objects are then attached to the session as if just loaded (same ids, no
pending changes), so a later change in the same unit of work is still written by the
session's flush, and `session.get` finds them without a query.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Table, insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import make_transient_to_detached

from domain.orders import model as om
from storage import core_exec, order_insert_pg, orm

_COLUMNS = {t.name: tuple(c.key for c in t.columns if c.key != "id") for t in (
    orm.orders, orm.order_lines, orm.shipments, orm.shipment_items)}


def _values(obj: object, table: Table, **extra: Any) -> dict[str, Any]:
    """The row of a new `obj`: read from its instance dict, where a new object keeps every
    value it was given (storage.orm_init); a column never set is None, as the ORM reads
    it for a new object."""
    fields = obj.__dict__
    row = {key: fields.get(key) for key in _COLUMNS[table.name]}
    row.update(extra)
    return row


_RETURNING_ID = {t.name: insert(t).returning(t.c.id) for t in (
    orm.orders, orm.order_lines, orm.shipments, orm.shipment_items)}


async def _insert_all(session: AsyncSession, table: Table, rows: Sequence[dict[str, Any]]
                      ) -> list[int]:
    """Insert `rows`; their new ids in the same order (one statement)."""
    if len(rows) == 1:  # the values go as parameters: one cached statement per table
        return [int((await core_exec.execute_fixed(session, _RETURNING_ID[table.name], rows[0])
                     ).scalar_one())]
    result = await core_exec.execute(
        session, insert(table).returning(table.c.id, sort_by_parameter_order=True), list(rows))
    return [int(i) for i in result.scalars()]


async def insert_order(session: AsyncSession, order: om.Order) -> None:
    """INSERT the order, its lines, parcels and parcel items; set every `id` (and the
    foreign keys) on the objects and attach them to `session` as persistent.

    Raises IntegrityError when a unique key (channel + external_id, idempotency key)
    is taken: the caller turns that into a Retry."""
    if session.get_bind().dialect.name == "postgresql" and order.lines:
        one = order_insert_pg.statement(
            (len(order.lines), tuple(len(s.items) for s in order.shipments)))
        if one is not None:  # one statement instead of four (storage.order_insert_pg)
            await _insert_in_one(session, order, one)
            _attach(session, order)
            return
    (order.id,) = await _insert_all(session, orm.orders, [_values(order, orm.orders)])
    await _insert_children(session, orm.order_lines, order.lines, order_id=order.id)
    await _insert_children(session, orm.shipments, order.shipments, order_id=order.id)
    for shipment in order.shipments:
        for item in shipment.items:
            item.shipment_id = shipment.id  # type: ignore[attr-defined]
    await _insert_children(session, orm.shipment_items,
                           [i for s in order.shipments for i in s.items])
    _attach(session, order)


async def _insert_in_one(session: AsyncSession, order: om.Order, statement: Any) -> None:
    ids = (await core_exec.execute_fixed(
        session, statement, order_insert_pg.parameters(order, _values))).rows[0]
    order.id = int(ids["order_id"])
    for line, line_id in zip(order.lines, ids["line_ids"], strict=True):
        line.id, line.order_id = int(line_id), order.id  # type: ignore[attr-defined]
    items = [(s, i) for s in order.shipments for i in s.items]
    for shipment, shipment_id in zip(order.shipments, ids["shipment_ids"], strict=True):
        shipment.id, shipment.order_id = int(shipment_id), order.id  # type: ignore[attr-defined]
    for (shipment, item), item_id in zip(items, ids["item_ids"], strict=True):
        item.id, item.shipment_id = int(item_id), shipment.id  # type: ignore[attr-defined]


async def _insert_children(session: AsyncSession, table: Table, objects: Sequence[Any],
                           **parent: int) -> None:
    """INSERT `objects` (one statement), setting `parent` (the foreign key) and their ids."""
    if not objects:
        return
    for obj in objects:
        for key, value in parent.items():
            setattr(obj, key, value)
    ids = await _insert_all(session, table, [_values(obj, table) for obj in objects])
    for obj, new_id in zip(objects, ids, strict=True):
        obj.id = new_id


def _attach(session: AsyncSession, order: om.Order) -> None:
    """Make the just-inserted objects persistent in `session` without another write."""
    for obj in (*order.lines, *(i for s in order.shipments for i in s.items),
                *order.shipments, order):
        make_transient_to_detached(obj)
    session.add(order)  # cascades to lines, parcels and items: all detached, so no INSERT
