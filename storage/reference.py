"""Reference data for the hot paths (order intake): products, warehouses and shipping
methods, read with Core and kept in a process-wide cache.

Freshness: a change made through this process (any unit of work whose flush touches a
Product, Warehouse or ShippingMethod) empties the cache at that flush and again at its
commit, so this process never places an order on data older than its own last change.
A change made by ANOTHER process (a second `omsbot run` on PostgreSQL, `omsbot import
products`) is seen within `TTL_SECONDS` (2 s): each table's snapshot is re-read when it is
older than that. Stock levels are never cached (reservations are conditional updates).

The domain objects handed out are shared by the process's units of work: read-only.
Products are cached per SKU as orders ask for them (a large catalogue is never read
whole); warehouses and shipping methods as whole tables.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from typing import Any

from sqlalchemy import event, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session

from domain.inventory.model import Product, ShippingMethod, Warehouse
from storage import orm

TTL_SECONDS = 2.0
_REFERENCE_CLASSES = (Product, Warehouse, ShippingMethod)
_CHANGED = "reference_changed"


class ReferenceCache:
    """Products (by SKU, loaded as orders ask for them), warehouses and shipping methods
    (whole tables: they are small), shared by a process's units of work. `clock`:
    seconds, monotonic (tests set another). Sessions must be of `session_class` for this
    process's own changes to empty the cache."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self.clock = clock
        self._products: dict[str, tuple[float, Product | None]] = {}  # by lower-case SKU
        self._tables: dict[str, tuple[float, Any]] = {}
        self.generation = 0  # bumped by every invalidation
        self.session_class: type[Session] = type("ReferenceWatchingSession", (Session,), {})
        event.listen(self.session_class, "after_flush", self._flushed)
        event.listen(self.session_class, "after_commit", self._ended)
        event.listen(self.session_class, "after_rollback", self._ended)

    def invalidate(self) -> None:
        self._products.clear()
        self._tables.clear()
        self.generation += 1

    def _cacheable(self, session: AsyncSession, generation: int) -> bool:
        """Not cached: what a transaction that changed reference data reads (it may roll
        back), nor what was read while another change went through."""
        return generation == self.generation and not session.info.get(_CHANGED)

    async def products(self, session: AsyncSession, skus: Sequence[str]
                       ) -> dict[str, Product]:
        now, found = self.clock(), {}
        missing: set[str] = set()
        for key in {s.lower() for s in skus}:
            hit = self._products.get(key)
            if hit is not None and now - hit[0] < TTL_SECONDS:
                if hit[1] is not None:
                    found[hit[1].sku] = hit[1]
            else:
                missing.add(key)
        if missing:
            generation, t = self.generation, orm.products
            rows = await session.execute(select(t).where(func.lower(t.c.sku).in_(
                sorted(missing))))
            loaded = {p.sku.lower(): p for p in (Product(**r._mapping) for r in rows)}
            keep = self._cacheable(session, generation)
            for key in missing:
                product = loaded.get(key)
                if keep:
                    self._products[key] = (now, product)
                if product is not None:
                    found[product.sku] = product
        return found

    async def table(self, session: AsyncSession, name: str,
                    build: Callable[[list[dict[str, Any]]], Any]) -> Any:
        """`build(rows of table name)`, computed at most TTL_SECONDS ago."""
        now = self.clock()
        hit = self._tables.get(name)
        if hit is not None and now - hit[0] < TTL_SECONDS:
            return hit[1]
        generation = self.generation
        rows = await session.execute(select(orm.metadata.tables[name]))
        built = build([dict(r._mapping) for r in rows])
        if self._cacheable(session, generation):
            self._tables[name] = (now, built)
        return built

    def _flushed(self, session: Session, _flush_context: Any) -> None:
        changed = (*session.new, *session.dirty, *session.deleted)
        if any(isinstance(o, _REFERENCE_CLASSES) for o in changed):
            session.info[_CHANGED] = True
            self.invalidate()

    def _ended(self, session: Session) -> None:
        if session.info.pop(_CHANGED, False):
            self.invalidate()


def _methods(rows: list[dict[str, Any]]) -> dict[str, ShippingMethod]:
    return {r["code"]: ShippingMethod(**r) for r in rows}


def _warehouses(rows: list[dict[str, Any]]) -> list[Warehouse]:
    return sorted((Warehouse(**r) for r in rows), key=lambda w: (w.priority, w.code))


class SqlReferenceData:
    """The `ReferenceData` port over a ReferenceCache. The objects returned are shared
    by every unit of work of the process until the cache is emptied: read them, never
    change them (change reference data through the repositories)."""

    def __init__(self, session: AsyncSession, cache: ReferenceCache) -> None:
        self.session = session
        self.cache = cache

    async def products(self, skus: Sequence[str]) -> dict[str, Product]:
        """{the product's own SKU: product} for `skus` given in any case."""
        return await self.cache.products(self.session, skus)

    async def shipping_method(self, code: str) -> ShippingMethod | None:
        methods = await self.cache.table(self.session, "shipping_methods", _methods)
        return methods.get(code)  # type: ignore[no-any-return]

    async def warehouses(self) -> list[Warehouse]:
        """Every warehouse, by priority then code."""
        return list(await self.cache.table(self.session, "warehouses", _warehouses))
