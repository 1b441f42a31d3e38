"""SQL of the scheduled jobs: purchase orders, and the bounded, indexed scans behind them.

Each scan returns at most `limit` rows and is served by an index (named next to it), so a
job's memory and time follow the work to do, not the number of orders on file.
"""

from __future__ import annotations

import zlib
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    and_,
    exists,
    func,
    insert,
    literal,
    or_,
    select,
    tuple_,
    update,
)
from sqlalchemy.ext.asyncio import AsyncSession

from domain.automation.model import (
    PO_OPEN,
    DayFigures,
    DueOrder,
    LateOrder,
    PurchaseOrder,
    StockState,
    format_po_number,
)
from domain.inventory.model import DEFAULT_SHIPPING_METHOD
from domain.orders import model as om
from domain.orders.snapshot import iso
from storage import orm
from storage.engine import Database
from storage.repositories import upsert

IN_CHUNK = 500  # values per IN (…) list
o, sl, p = orm.orders, orm.stock_levels, orm.products
s, si, marks = orm.shipments, orm.shipment_items, orm.order_marks


class SqlPurchaseOrders:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, po: PurchaseOrder) -> None:
        self.session.add(po)
        await self.session.flush()

    async def get(self, po_id: int, *, for_update: bool = False) -> PurchaseOrder | None:
        stmt = select(PurchaseOrder).where(orm.purchase_orders.c.id == po_id)
        if for_update:
            stmt = stmt.with_for_update()
        return (await self.session.scalars(stmt)).first()

    async def add_all(self, pos: Sequence[PurchaseOrder]) -> None:
        """One batched INSERT … RETURNING (ids in the order given) instead of one per row."""
        if not pos:
            return
        t = orm.purchase_orders
        rows = await self.session.execute(
            insert(t).returning(t.c.id, sort_by_parameter_order=True),
            [{"sku": po.sku, "warehouse": po.warehouse, "quantity": po.quantity,
              "supplier_email": po.supplier_email, "status": po.status,
              "created_at": po.created_at} for po in pos])
        for po, row in zip(pos, rows, strict=True):
            po.id = int(row.id)

    async def open_for_many(self, keys: Sequence[tuple[str, str]]
                            ) -> dict[tuple[str, str], PurchaseOrder]:
        t = orm.purchase_orders
        found: dict[tuple[str, str], PurchaseOrder] = {}
        for i in range(0, len(keys), IN_CHUNK):
            chunk = keys[i:i + IN_CHUNK]
            rows = await self.session.scalars(select(PurchaseOrder).where(
                t.c.sku.in_({sku for sku, _ in chunk}),
                tuple_(t.c.sku, t.c.warehouse).in_(chunk), t.c.status.in_(PO_OPEN)
            ).order_by(t.c.id.desc()).with_for_update())
            found.update({(po.sku, po.warehouse): po for po in rows})  # oldest wins
        return found

    async def open_for(self, sku: str, warehouse: str) -> list[PurchaseOrder]:
        t = orm.purchase_orders
        return list(await self.session.scalars(select(PurchaseOrder).where(
            t.c.sku == sku, t.c.warehouse == warehouse, t.c.status.in_(PO_OPEN)
        ).order_by(t.c.id).with_for_update()))


def _unmarked(order_id: Any, mark: str) -> Any:
    return ~exists().where(marks.c.order_id == order_id, marks.c.mark == mark)


class SqlJobScans:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    @property
    def dialect(self) -> str:
        """Asked when needed: every unit of work makes this repository, few use it."""
        return self.session.get_bind().dialect.name

    async def try_lock(self, job: str) -> bool:
        """PostgreSQL: a transaction-level advisory lock. SQLite: every write transaction
        begins IMMEDIATE, so writers of all processes already take turns."""
        if self.dialect != "postgresql":
            return True
        key = zlib.crc32(f"omsbot:job:{job}".encode())
        lock = func.pg_try_advisory_xact_lock(literal(key, BigInteger()))
        return bool(await self.session.scalar(select(lock)))

    async def claim_run(self, job: str, run_key: str, at: datetime) -> bool:
        t = orm.job_runs
        stmt = upsert(self.session, t).values(name=job, run_key=run_key, started_at=at,
                                              finished_at=at)
        stmt = stmt.on_conflict_do_nothing(index_elements=[t.c.name, t.c.run_key])
        return await self.session.scalar(stmt.returning(t.c.name)) is not None

    # ---- low stock (a pass over stock_levels joined to products by primary key) ---------
    async def stock_state_changes(self, limit: int) -> list[StockState]:
        available = sl.c.on_hand - sl.c.reserved
        rows = await self.session.execute(
            select(sl.c.sku, sl.c.warehouse, p.c.name, available.label("available"),
                   p.c.reorder_point, p.c.reorder_quantity, p.c.supplier_email, sl.c.low_since)
            .join(p, p.c.sku == sl.c.sku)
            .where(or_(and_(available <= p.c.reorder_point, sl.c.low_since.is_(None)),
                       and_(available > p.c.reorder_point, sl.c.low_since.is_not(None))))
            .order_by(sl.c.sku, sl.c.warehouse).limit(limit))
        return [StockState(r.sku, r.warehouse, r.name, r.available, r.reorder_point,
                           r.reorder_quantity, r.supplier_email, r.low_since) for r in rows]

    def _level(self, sku: str, warehouse: str) -> Any:
        return and_(sl.c.sku == sku, sl.c.warehouse == warehouse)

    async def mark_low(self, keys: Sequence[tuple[str, str]], at: datetime
                       ) -> set[tuple[str, str]]:
        marked: set[tuple[str, str]] = set()
        for i in range(0, len(keys), IN_CHUNK):
            rows = await self.session.execute(
                update(sl).where(sl.c.sku.in_({sku for sku, _ in keys[i:i + IN_CHUNK]}),
                                 tuple_(sl.c.sku, sl.c.warehouse).in_(keys[i:i + IN_CHUNK]),
                                 sl.c.low_since.is_(None))
                .values(low_since=at).returning(sl.c.sku, sl.c.warehouse))
            marked.update((r.sku, r.warehouse) for r in rows)
        return marked

    async def clear_low(self, sku: str, warehouse: str) -> bool:
        point = select(p.c.reorder_point).where(p.c.sku == sku).scalar_subquery()
        result = await self.session.execute(update(sl).where(
            self._level(sku, warehouse), sl.c.low_since.is_not(None),
            sl.c.on_hand - sl.c.reserved > point).values(low_since=None))
        return bool(result.rowcount == 1)  # type: ignore[attr-defined]

    async def units_sold(
        self, keys: Sequence[tuple[str, str]], since: datetime
    ) -> dict[tuple[str, str], int]:
        """Served by ix_shipment_items_sku, then primary keys of shipments and orders."""
        wanted = set(keys)
        skus = sorted({sku for sku, _ in keys})
        sold: dict[tuple[str, str], int] = {}
        for i in range(0, len(skus), IN_CHUNK):
            rows = await self.session.execute(
                select(si.c.sku, s.c.warehouse, func.sum(si.c.quantity).label("units"))
                .select_from(si.join(s, s.c.id == si.c.shipment_id)
                             .join(o, o.c.id == s.c.order_id))
                .where(si.c.sku.in_(skus[i:i + IN_CHUNK]), o.c.placed_at >= since,
                       o.c.status != om.CANCELLED, s.c.status != om.SHIPMENT_CANCELLED)
                .group_by(si.c.sku, s.c.warehouse))
            for r in rows:
                if (r.sku, r.warehouse) in wanted:
                    sold[(r.sku, r.warehouse)] = int(r.units or 0)
        return sold

    # ---- orders (marks make each effect once per order and kind) -----------------------
    async def mark_orders(self, order_ids: Sequence[int], mark: str, at: datetime
                          ) -> set[int]:
        """One INSERT … ON CONFLICT DO NOTHING RETURNING per chunk: what a concurrent run
        marked first is not returned, so its effects are not repeated."""
        marked: set[int] = set()
        for i in range(0, len(order_ids), IN_CHUNK):
            stmt = upsert(self.session, marks).values(
                [{"order_id": oid, "mark": mark, "at": at}
                 for oid in order_ids[i:i + IN_CHUNK]])
            stmt = stmt.on_conflict_do_nothing(
                index_elements=[marks.c.order_id, marks.c.mark])
            rows = await self.session.scalars(stmt.returning(marks.c.order_id))
            marked.update(int(oid) for oid in rows)
        return marked

    async def unshipped_late(
        self, statuses: Sequence[str], now: datetime, since: datetime, mark: str, limit: int
    ) -> list[LateOrder]:
        """Served by ix_orders_status_promised_ship_by (one range per status)."""
        sm = orm.shipping_methods
        transit = func.coalesce(sm.c.transit_days, DEFAULT_SHIPPING_METHOD.transit_days)
        rows = await self.session.execute(
            select(o.c.id, o.c.customer_id, o.c.promised_ship_by, transit.label("transit"))
            .outerjoin(sm, sm.c.code == o.c.shipping_method)
            .where(o.c.status.in_(statuses), o.c.promised_ship_by < now,
                   o.c.promised_ship_by >= since, _unmarked(o.c.id, mark))
            .order_by(o.c.promised_ship_by, o.c.id).limit(limit))
        return [LateOrder(r.id, r.customer_id, r.promised_ship_by, int(r.transit))
                for r in rows]

    async def undelivered_late(
        self, statuses: Sequence[str], today: date, since: date, mark: str, limit: int
    ) -> list[LateOrder]:
        """Served by ix_shipments_status_eta (one range per status)."""
        eta = func.min(s.c.eta).label("eta")
        rows = await self.session.execute(
            select(s.c.order_id, o.c.customer_id, eta)
            .join(o, o.c.id == s.c.order_id)
            .where(s.c.status.in_(statuses), s.c.eta < today, s.c.eta >= since,
                   _unmarked(s.c.order_id, mark))
            .group_by(s.c.order_id, o.c.customer_id)
            .order_by(eta, s.c.order_id).limit(limit))
        return [LateOrder(r.order_id, r.customer_id, _as_date(r.eta), 0) for r in rows]

    async def due_review_requests(
        self, statuses: Sequence[str], delivered_from: datetime, delivered_to: datetime,
        mark: str, limit: int,
    ) -> list[DueOrder]:
        """Served by ix_orders_status_delivered_at."""
        r = orm.returns
        returned = exists().where(r.c.order_id == o.c.id, r.c.status != "rejected")
        rows = await self.session.execute(
            select(o.c.id, o.c.customer_id)
            .where(o.c.status.in_(statuses), o.c.delivered_at >= delivered_from,
                   o.c.delivered_at <= delivered_to, o.c.review_rating.is_(None),
                   ~returned, _unmarked(o.c.id, mark))
            .order_by(o.c.delivered_at, o.c.id).limit(limit))
        return [DueOrder(row.id, row.customer_id) for row in rows]

    async def expired_unpaid(self, status: str, placed_before: datetime, limit: int
                             ) -> list[int]:
        """Served by ix_orders_status_id: unpaid orders are few, they expire."""
        rows = await self.session.scalars(
            select(o.c.id).where(o.c.status == status, o.c.placed_at < placed_before)
            .order_by(o.c.id).limit(limit))
        return [int(i) for i in rows]

    # ---- the daily report ------------------------------------------------------------
    async def day_figures(self, start: datetime, end: datetime, delay_marks: Sequence[str]
                          ) -> DayFigures:
        """Shipments, deliveries, delays, returns and low stock in [start, end) (aware UTC)."""
        q = self.session.scalar
        shipped = await q(select(func.count(s.c.order_id.distinct())).where(
            s.c.shipped_at >= start, s.c.shipped_at < end))  # ix_shipments_shipped_at
        delivered = await q(select(func.count()).where(
            o.c.status.in_((om.DELIVERED, om.COMPLETED)),
            o.c.delivered_at >= start, o.c.delivered_at < end))
        delayed = await q(select(func.count(marks.c.order_id.distinct())).where(
            marks.c.mark.in_(delay_marks), marks.c.at >= start, marks.c.at < end))
        r = orm.returns
        returns = await q(select(func.count()).where(r.c.created_at >= start,
                                                      r.c.created_at < end))
        low = await q(select(func.count()).where(sl.c.low_since.is_not(None)))
        low_new = await q(select(func.count()).where(sl.c.low_since >= start,
                                                      sl.c.low_since < end))
        examples = await self.session.execute(
            select(sl.c.sku, sl.c.warehouse).where(sl.c.low_since.is_not(None))
            .order_by(sl.c.low_since.desc(), sl.c.sku).limit(5))
        return DayFigures(
            shipped=int(shipped or 0),
            delivered=int(delivered or 0), delayed=int(delayed or 0),
            returns=int(returns or 0), low_stock=int(low or 0), low_stock_new=int(low_new or 0),
            low_stock_examples=tuple((e.sku, e.warehouse) for e in examples))


def _as_date(value: Any) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))


class SqlPurchaseOrderViews:
    """The read side of purchase orders (`/oms po`)."""

    def __init__(self, db: Database) -> None:
        self.db = db

    async def purchase_orders(self, *, status: str | None = None, limit: int = 50
                              ) -> list[dict[str, Any]]:
        t = orm.purchase_orders
        stmt = (select(t, p.c.name.label("product_name")).join(p, p.c.sku == t.c.sku)
                .order_by(t.c.id.desc()).limit(limit))
        if status is None:
            stmt = stmt.where(t.c.status.in_(PO_OPEN))
        elif status != "all":
            stmt = stmt.where(t.c.status == status)
        async with self.db.read_sessions() as session:
            return [_po_view(row) for row in await session.execute(stmt)]

    async def purchase_order(self, po_id: int) -> dict[str, Any] | None:
        t = orm.purchase_orders
        stmt = (select(t, p.c.name.label("product_name")).join(p, p.c.sku == t.c.sku)
                .where(t.c.id == po_id))
        async with self.db.read_sessions() as session:
            row = (await session.execute(stmt)).first()
        return None if row is None else _po_view(row)


def _po_view(row: Any) -> dict[str, Any]:
    return {"id": row.id, "number": format_po_number(row.id), "sku": row.sku,
            "product_name": row.product_name, "warehouse": row.warehouse,
            "quantity": row.quantity, "supplier_email": row.supplier_email,
            "status": row.status, "created_at": iso(row.created_at),
            "approved_at": iso(row.approved_at), "approved_by": row.approved_by,
            "received_at": iso(row.received_at)}
