"""What `forecast SKU` reads: one product's reorder settings and, per warehouse it is
stocked in, units available, on order and sold over two windows (see
`domain.automation.forecast`), and its units ordered in all. Small queries, each by the
product's key."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from domain.automation.forecast import RECENT_DAYS, ProductFigures, StockFigures
from domain.automation.model import PO_OPEN, SALES_WINDOW_DAYS
from domain.orders import model as om
from storage import orm
from storage.automation import SqlJobScans
from storage.sales import line_units


async def product_figures(session: AsyncSession, sku: str, now: datetime
                          ) -> ProductFigures | None:
    """The figures of the product `sku` (any case), with sales up to `now` (aware UTC);
    None when there is no such product. Warehouses: those with a stock level or an open
    purchase order for it, in code order."""
    p, sl, po = orm.products, orm.stock_levels, orm.purchase_orders
    product = (await session.execute(
        select(p.c.sku, p.c.name, p.c.reorder_point, p.c.reorder_quantity)
        .where(func.lower(p.c.sku) == sku.lower()))).first()
    if product is None:
        return None
    available = {r.warehouse: int(r.available) for r in await session.execute(
        select(sl.c.warehouse, (sl.c.on_hand - sl.c.reserved).label("available"))
        .where(sl.c.sku == product.sku))}
    on_order = {r.warehouse: int(r.units or 0) for r in await session.execute(
        select(po.c.warehouse, func.sum(po.c.quantity).label("units"))
        .where(po.c.sku == product.sku, po.c.status.in_(PO_OPEN))
        .group_by(po.c.warehouse))}
    keys = [(product.sku, w) for w in sorted(available.keys() | on_order.keys())]
    scans = SqlJobScans(session)
    sold = await scans.units_sold(keys, now - timedelta(days=SALES_WINDOW_DAYS))
    recent = await scans.units_sold(keys, now - timedelta(days=RECENT_DAYS))
    levels = tuple(StockFigures(w, available.get(w, 0), on_order.get(w, 0),
                                sold.get((s, w), 0), recent.get((s, w), 0)) for s, w in keys)
    month = await _ordered(session, product.sku, now - timedelta(days=SALES_WINDOW_DAYS))
    week = await _ordered(session, product.sku, now - timedelta(days=RECENT_DAYS))
    return ProductFigures(product.sku, product.name, int(product.reorder_point),
                          int(product.reorder_quantity), levels, month, week)


async def _ordered(session: AsyncSession, sku: str, since: datetime) -> int:
    """Units of `sku` in orders placed since `since`, less cancelled ones (order lines,
    so also units no shipment carries yet). Served by the order lines' SKU index."""
    o, ln = orm.orders, orm.order_lines
    units = await session.scalar(
        select(func.sum(line_units())).select_from(ln.join(o, o.c.id == ln.c.order_id))
        .where(ln.c.sku == sku, o.c.placed_at >= since, o.c.status != om.CANCELLED))
    return int(units or 0)
