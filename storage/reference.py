"""Reference data for the hot paths (order intake): products, warehouses and shipping
methods, read with Core and kept in a process-wide cache.

Freshness: a change made through this process (any unit of work whose flush touches a
Product, Warehouse or ShippingMethod) empties the cache at that flush and again at its
commit, so this process never places an order on data older than its own last change.
A change made by ANOTHER process (a second `omsbot run` on PostgreSQL, `omsbot import
products`) is seen within `TTL_SECONDS` (2 s): each table's snapshot is re-read when it is
older than that. Stock levels are never cached (reservations are conditional updates).

Every call returns fresh domain objects built from the cached rows: callers may keep or
even change them without touching the cache or the session.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from typing import Any

from sqlalchemy import event, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session

from domain.inventory.model import Product, ShippingMethod, Warehouse
from storage import orm

TTL_SECONDS = 2.0
_REFERENCE_CLASSES = (Product, Warehouse, ShippingMethod)
_CHANGED = "reference_changed"


class ReferenceCache:
    """Rows of products, warehouses and shipping methods, shared by a process's units of
    work. `clock`: seconds, monotonic (tests pass a fake). Sessions must be of
    `session_class` for this process's own changes to empty the cache."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self.clock = clock
        self._tables: dict[str, tuple[float, list[dict[str, Any]]]] = {}
        self.generation = 0  # bumped by every invalidation
        self.session_class: type[Session] = type("ReferenceWatchingSession", (Session,), {})
        event.listen(self.session_class, "after_flush", self._flushed)
        event.listen(self.session_class, "after_commit", self._ended)
        event.listen(self.session_class, "after_rollback", self._ended)

    def invalidate(self) -> None:
        self._tables.clear()
        self.generation += 1

    async def rows(self, session: AsyncSession, name: str) -> list[dict[str, Any]]:
        """All rows of table `name` as dicts, at most TTL_SECONDS old."""
        now = self.clock()
        hit = self._tables.get(name)
        if hit is not None and now - hit[0] < TTL_SECONDS:
            return hit[1]
        generation = self.generation
        table = orm.metadata.tables[name]
        rows = [dict(r._mapping) for r in await session.execute(select(table))]
        # Not cached: what a transaction that changed reference data reads (it may roll
        # back), nor what was read while another change went through.
        if generation == self.generation and not session.info.get(_CHANGED):
            self._tables[name] = (now, rows)
        return rows

    def _flushed(self, session: Session, _flush_context: Any) -> None:
        changed = (*session.new, *session.dirty, *session.deleted)
        if any(isinstance(o, _REFERENCE_CLASSES) for o in changed):
            session.info[_CHANGED] = True
            self.invalidate()

    def _ended(self, session: Session) -> None:
        if session.info.pop(_CHANGED, False):
            self.invalidate()


class SqlReferenceData:
    """The `ReferenceData` port over a ReferenceCache (read-only snapshots)."""

    def __init__(self, session: AsyncSession, cache: ReferenceCache) -> None:
        self.session = session
        self.cache = cache

    async def products(self, skus: Sequence[str]) -> dict[str, Product]:
        """{the product's own SKU: product} for `skus` given in any case."""
        wanted = {s.lower() for s in skus}
        rows = await self.cache.rows(self.session, "products")
        return {r["sku"]: Product(**r) for r in rows if r["sku"].lower() in wanted}

    async def shipping_method(self, code: str) -> ShippingMethod | None:
        rows = await self.cache.rows(self.session, "shipping_methods")
        row = next((r for r in rows if r["code"] == code), None)
        return None if row is None else ShippingMethod(**{**row, "prices": dict(row["prices"])})

    async def warehouses(self) -> list[Warehouse]:
        """Every warehouse, by priority then code."""
        rows = await self.cache.rows(self.session, "warehouses")
        found = [Warehouse(**{**r, "fulfilment": dict(r["fulfilment"]) if r["fulfilment"]
                              else r["fulfilment"]}) for r in rows]
        return sorted(found, key=lambda w: (w.priority, w.code))
