"""Stock reservations made by the commit: the last statements of the transaction.

A reservation is one conditional UPDATE of a `stock_levels` row (`on_hand - reserved >=
quantity`), and from that UPDATE to COMMIT the row is locked: on PostgreSQL every other
order for the same SKU waits for it. Made where the domain asks for it (first in an
order's transaction), the lock was held across the order's ten inserts, each a round trip
and a turn of a busy event loop, and concurrent orders for one best-selling SKU queued
behind each other (8 clients: p99 250 ms, intake a third of the raw driver's).

So a unit of work holds the reservations asked for and makes them just before COMMIT, in
(sku, warehouse) order (concurrent orders never deadlock); a reservation that can no
longer be made (another order took the units since the levels were read) makes the
commit raise `Retry`, and the whole command runs again on fresh levels, as it did when
the UPDATE came first. In the same unit of work the pending units count as reserved
(`overlay`), and any other write to a stock level makes the pending ones first.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import replace

from sqlalchemy import bindparam, update
from sqlalchemy.ext.asyncio import AsyncSession

from domain.errors import Retry
from domain.inventory.model import StockLevel
from storage import core_exec, orm

_PENDING = "stock.reservations"

_RESERVE = (update(orm.stock_levels).where(
    orm.stock_levels.c.sku == bindparam("b_sku"),
    orm.stock_levels.c.warehouse == bindparam("b_warehouse"),
    orm.stock_levels.c.on_hand - orm.stock_levels.c.reserved >= bindparam("b_quantity"))
    .values(reserved=orm.stock_levels.c.reserved + bindparam("b_quantity")))


def _pending(session: AsyncSession) -> Counter[tuple[str, str]]:
    found: Counter[tuple[str, str]] | None = session.info.get(_PENDING)
    if found is None:
        found = session.info[_PENDING] = Counter()
    return found


def hold(session: AsyncSession, sku: str, warehouse: str, quantity: int) -> None:
    """Reserve `quantity` units of `sku` in `warehouse` at the commit of `session`'s
    transaction (see the module's docstring)."""
    _pending(session)[(sku, warehouse)] += quantity


def overlay(session: AsyncSession, levels: Sequence[StockLevel]) -> list[StockLevel]:
    """`levels` as read, with this transaction's pending reservations counted in
    `reserved`."""
    pending: Counter[tuple[str, str]] | None = session.info.get(_PENDING)
    if not pending:
        return list(levels)
    return [replace(lv, reserved=lv.reserved + pending[(lv.sku, lv.warehouse)])
            if (lv.sku, lv.warehouse) in pending else lv for lv in levels]


async def make_pending(session: AsyncSession) -> None:
    """Make the pending reservations now, in (sku, warehouse) order.

    Raises Retry when one can no longer be made (the caller's transaction must then be
    rolled back; the bus runs the command again)."""
    pending: Counter[tuple[str, str]] | None = session.info.get(_PENDING)
    if not pending:
        return
    session.info[_PENDING] = Counter()
    for (sku, warehouse), quantity in sorted(pending.items()):
        result = await core_exec.execute_fixed(session, _RESERVE, {
            "b_sku": sku, "b_warehouse": warehouse, "b_quantity": quantity})
        if result.rowcount != 1:
            raise Retry(f"stock of {sku} in {warehouse} changed")
