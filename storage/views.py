"""Read models: queries that answer the API and the chats, shaped as CONTRACT §4 says."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select, text

from domain.accounting.periods import ReportWindow
from domain.accounting.sales import SalesReport
from domain.accounting.value import Worth, worth_view
from domain.automation.delays import DELAY_MARKS
from domain.automation.forecast import ProductFigures
from domain.automation.model import DayFigures
from domain.customers.model import Customer, normalise_email
from domain.errors import ValidationError
from domain.fulfillment.picking import PickRow
from domain.inventory.model import DEFAULT_SHIPPING_METHOD
from domain.money import plain
from domain.orders import model as om
from domain.orders.snapshot import iso, money, order_view
from domain.queries import View
from domain.returns.attachments import ReturnAttachment
from domain.returns.model import ReturnRequest, allowed_return_actions
from domain.returns.pricing import return_goods
from storage import orm
from storage.attachments import FileStore, attachment_view, attachments_of
from storage.automation import SqlJobScans, SqlPurchaseOrderViews
from storage.engine import Database
from storage.forecast import product_figures
from storage.fulfilment_tables import bins
from storage.fx import fx_rates_view
from storage.journal_views import journal_lines
from storage.rankings import SqlRankings
from storage.sales import SqlSales


def return_view(ret: ReturnRequest, order_number: str,
                attachments: list[View] | None = None, order: om.Order | None = None
                ) -> View:
    """A return as CONTRACT §4 shows it. With its `order`: `goods_value` (what `refund`
    pays by default: the returned units at their own lines' prices, tax included; 0 for
    an exchange) and `refundable` (the most a refund may pay: paid less refunded), both
    decimals in the order's currency."""
    value = refundable = None
    if order is not None:
        value = Decimal(0) if ret.exchange else return_goods(ret, order).gross
        refundable = order.refundable
    return {
        "rma": ret.rma,
        "order": order_number,
        "status": ret.status,
        "reason": ret.reason,
        "exchange": ret.exchange,
        "channel": ret.channel,
        "currency": ret.currency,
        "refund_amount": money(ret.refund_amount, ret.currency),
        "goods_value": money(value, ret.currency),
        "refundable": money(refundable, ret.currency),
        "lines": [{"sku": ln.sku, "quantity": ln.quantity,
                   "unit_price": money(ln.unit_price, ret.currency),
                   "tax_rate": str(plain(ln.tax_rate)) if ln.tax_rate else "0"}
                  for ln in ret.lines],
        "replacement_order": (om.format_order_number(ret.replacement_order_id)
                              if ret.replacement_order_id else None),
        "created_at": iso(ret.created_at),
        "allowed_actions": allowed_return_actions(ret.status),
        "attachments": attachments or [],
    }


class SqlReadModel:
    def __init__(self, db: Database, base_currency: str, files: FileStore | None = None,
                 timezone: str = "UTC") -> None:
        """`timezone`: `OMSBOT_TIMEZONE`, whose days the exchange rates start on."""
        self.db = db
        self.base_currency = base_currency
        self.files = files or FileStore()
        self.timezone = timezone

    async def order(self, order_id: int) -> View | None:
        async with self.db.read_sessions() as s:
            order = await s.get(om.Order, order_id)
            if order is None:
                return None
            names = await self._method_names(s, {order.shipping_method})
            return order_view(order, await s.get(Customer, order.customer_id),
                              names.get(order.shipping_method))

    async def orders_by_id(self, order_ids: Collection[int]) -> dict[int, View]:
        if not order_ids:
            return {}
        async with self.db.read_sessions() as s:
            found = list(await s.scalars(select(om.Order).where(
                orm.orders.c.id.in_(sorted(set(order_ids))))))
            customers = await self._customers(s, {o.customer_id for o in found})
            names = await self._method_names(s, {o.shipping_method for o in found})
        return {o.id: order_view(o, customers.get(o.customer_id), names.get(o.shipping_method))
                for o in found if o.id is not None}

    async def orders(
        self, *, status: str | None = None, customer: str | None = None, limit: int = 50,
        cursor: int | None = None,
    ) -> tuple[list[View], int | None]:
        stmt = select(om.Order).order_by(orm.orders.c.id.desc()).limit(limit + 1)
        if status:
            stmt = stmt.where(orm.orders.c.status == status)
        if cursor is not None:
            stmt = stmt.where(orm.orders.c.id < cursor)
        async with self.db.read_sessions() as s:
            if customer:
                cid = await s.scalar(select(orm.customers.c.id).where(
                    orm.customers.c.email == normalise_email(customer, "customer")))
                if cid is None:
                    return [], None
                stmt = stmt.where(orm.orders.c.customer_id == cid)
            found = list(await s.scalars(stmt))
            page = found[:limit]
            customers = await self._customers(s, {o.customer_id for o in page})
            names = await self._method_names(s, {o.shipping_method for o in page})
        next_cursor = page[-1].id if len(found) > limit and page else None
        return [order_view(o, customers.get(o.customer_id), names.get(o.shipping_method))
                for o in page], next_cursor

    @staticmethod
    async def _customers(s: Any, ids: set[int]) -> dict[int, Customer]:
        if not ids:
            return {}
        rows = await s.scalars(select(Customer).where(orm.customers.c.id.in_(ids)))
        return {c.id: c for c in rows}

    @staticmethod
    async def _method_names(s: Any, codes: set[str]) -> dict[str, str]:
        """code → name of the shipping methods `codes`; the built-in `standard` is named
        even when the shop never defined it (CONTRACT §4)."""
        sm = orm.shipping_methods
        rows = await s.execute(select(sm.c.code, sm.c.name).where(sm.c.code.in_(codes)))
        return {DEFAULT_SHIPPING_METHOD.code: DEFAULT_SHIPPING_METHOD.name,
                **{r.code: r.name for r in rows}}

    async def product_sku(self, sku: str) -> str | None:
        """The SKU as the product was created (`sku` matched without regard to case)."""
        async with self.db.read_sessions() as s:
            found: str | None = await s.scalar(select(orm.products.c.sku).where(
                func.lower(orm.products.c.sku) == sku.lower()))
            return found

    async def inventory(self, sku: str) -> list[View] | None:
        t = orm.stock_levels
        async with self.db.read_sessions() as s:
            sku = await s.scalar(select(orm.products.c.sku).where(  # type: ignore[assignment]
                func.lower(orm.products.c.sku) == sku.lower()))
            if sku is None:
                return None
            rows = await s.execute(select(t).where(t.c.sku == sku).order_by(t.c.warehouse))
            return [{"warehouse": r.warehouse, "on_hand": r.on_hand, "reserved": r.reserved,
                     "available": r.on_hand - r.reserved} for r in rows]

    async def customer(self, email: str) -> View | None:
        """`{email, name, phone, locale, orders, lifetime_value, currency, flags,
        not_converted}`: `orders` counts every order; lifetime value (base currency, each
        order at its day's rate) leaves out cancelled and replacement orders and refunds."""
        try:
            email = normalise_email(email)
        except ValidationError:
            return None
        o = orm.orders
        async with self.db.read_sessions() as s:
            cust = (await s.scalars(select(Customer).where(
                orm.customers.c.email == email))).first()
            if cust is None:
                return None
            count = await s.scalar(select(func.count()).where(o.c.customer_id == cust.id))
            cid = int(cust.id or 0)
            found = await self._rankings(s).customers([cid])
        value = worth_view(found.get(cid, Worth()), self.base_currency)
        return {"email": cust.email, "name": cust.name, "phone": cust.phone,
                "locale": cust.locale, "orders": int(count or 0),
                "lifetime_value": value["lifetime_value"], "currency": self.base_currency,
                "revenue": value["revenue"], "profit": value["profit"],
                "not_converted": value["not_converted"], "flags": list(cust.flags)}

    async def top_customers(self, limit: int = 10, by: str = "revenue") -> list[View]:
        """Customers worth most by `by` (`revenue` or `profit`), lifetime, base currency."""
        async with self.db.read_sessions() as s:
            ranked = await self._rankings(s).top_customers(limit, by)
            people = {c.id: c for c in await s.scalars(select(Customer).where(
                orm.customers.c.id.in_([cid for cid, _ in ranked])))}
        return [{"email": people[cid].email, "name": people[cid].name,
                 **worth_view(w, self.base_currency)} for cid, w in ranked]

    def _rankings(self, session: Any) -> SqlRankings:
        return SqlRankings(session, self.base_currency, self.timezone)

    async def returns(self, *, status: str | None = None, limit: int = 50) -> list[View]:
        stmt = select(ReturnRequest).order_by(orm.returns.c.id.desc()).limit(limit)
        if status:
            stmt = stmt.where(orm.returns.c.status == status)
        async with self.db.read_sessions() as s:
            found: Sequence[ReturnRequest] = list(await s.scalars(stmt))
            files = await attachments_of(s, [r.id for r in found if r.id is not None])
            ids = {r.order_id for r in found}
            orders = {o.id: o for o in await s.scalars(
                select(om.Order).where(orm.orders.c.id.in_(ids)))} if ids else {}
        return [self._return_view(r, files.get(r.id or 0, []), orders.get(r.order_id))
                for r in found]

    async def return_(self, return_id: int) -> View | None:
        async with self.db.read_sessions() as s:
            ret = await s.get(ReturnRequest, return_id)
            files = await attachments_of(s, [return_id]) if ret is not None else {}
            order = await s.get(om.Order, ret.order_id) if ret is not None else None
        return None if ret is None else self._return_view(ret, files.get(return_id, []),
                                                          order)

    def _return_view(self, ret: ReturnRequest, files: list[ReturnAttachment],
                     order: om.Order | None = None) -> View:
        return return_view(ret, om.format_order_number(ret.order_id),
                           [attachment_view(a, self.files) for a in files], order)

    async def attachment(self, return_id: int, attachment_id: int
                         ) -> tuple[View, bytes] | None:
        """One attachment's view and bytes; None when it is not this return's (or gone)."""
        async with self.db.read_sessions() as s:
            files = (await attachments_of(s, [return_id])).get(return_id, [])
        found = next((a for a in files if a.id == attachment_id), None)
        data = await self.files.read(found.sha256) if found is not None else None
        return None if found is None or data is None else (
            attachment_view(found, self.files), data)

    async def product_figures(self, sku: str, now: datetime) -> ProductFigures | None:
        async with self.db.read_sessions() as s:
            return await product_figures(s, sku, now)

    async def low_stock(self) -> list[View]:
        t, p = orm.stock_levels, orm.products
        stmt = (select(t.c.sku, t.c.warehouse, t.c.on_hand, t.c.reserved, p.c.reorder_point,
                       p.c.name)
                .join(p, p.c.sku == t.c.sku)
                .where(t.c.on_hand - t.c.reserved <= p.c.reorder_point)
                .order_by(t.c.sku, t.c.warehouse))
        async with self.db.read_sessions() as s:
            rows = await s.execute(stmt)
            return [{"sku": r.sku, "name": r.name, "warehouse": r.warehouse,
                     "available": r.on_hand - r.reserved, "reorder_point": r.reorder_point}
                    for r in rows]

    async def pick_rows(self, warehouse: str | None = None, limit: int = 2000
                        ) -> list[PickRow]:
        """Items of shipments still to pick: orders confirmed, picking or packed, with the
        bin each SKU lies in (CONTRACT §10)."""
        o, sh, it, p, b = orm.orders, orm.shipments, orm.shipment_items, orm.products, bins
        stmt = (select(o.c.id, o.c.promised_ship_by, sh.c.warehouse, it.c.sku, p.c.name,
                       it.c.quantity, b.c.bin)
                .join(sh, sh.c.order_id == o.c.id).join(it, it.c.shipment_id == sh.c.id)
                .join(p, p.c.sku == it.c.sku)
                .outerjoin(b, (b.c.sku == it.c.sku) & (b.c.warehouse == sh.c.warehouse))
                .where(o.c.status.in_((om.CONFIRMED, om.PICKING, om.PACKED)),
                       sh.c.status == om.SHIPMENT_PENDING)
                .order_by(o.c.promised_ship_by, o.c.id).limit(limit))
        if warehouse:
            stmt = stmt.where(sh.c.warehouse == warehouse)
        async with self.db.read_sessions() as s:
            rows = await s.execute(stmt)
            return [PickRow(om.format_order_number(r.id), r.promised_ship_by, r.warehouse,
                            r.sku, r.name, r.quantity, r.bin) for r in rows]

    async def top_products(self, since: datetime, limit: int = 10, by: str = "revenue"
                           ) -> list[View]:
        """Best sellers since `since` (aware UTC) by `by` (`revenue`, `profit`, `units`), in
        the base currency at each order day's rate; cancelled and replacement orders left
        out."""
        async with self.db.read_sessions() as s:
            ranked = await self._rankings(s).top_products(since, limit, by)
        return [{"sku": sku, "name": name, **worth_view(w, self.base_currency)}
                for sku, name, w in ranked]

    async def purchase_orders(self, *, status: str | None = None, limit: int = 50
                              ) -> list[View]:
        return await SqlPurchaseOrderViews(self.db).purchase_orders(status=status, limit=limit)

    async def purchase_order(self, po_id: int) -> View | None:
        return await SqlPurchaseOrderViews(self.db).purchase_order(po_id)

    async def figures(self, start: datetime, end: datetime) -> DayFigures:
        """What happened in [start, end): the daily report's figures for any period."""
        async with self.db.read_sessions() as s:
            return await SqlJobScans(s).day_figures(start, end, DELAY_MARKS)

    async def journal(self, start: date, end: date) -> list[View]:
        return await journal_lines(self.db, start, end, self.base_currency)
    async def fx_rates(self, today: date) -> View:
        return await fx_rates_view(self.db, self.base_currency, today)

    async def sales_report(self, window: ReportWindow) -> SalesReport:
        async with self.db.read_sessions() as s:
            return await SqlSales(s, self.base_currency).report(window)

    async def healthy(self) -> bool:
        async with self.db.read_sessions() as s:
            return bool(await s.scalar(text("SELECT 1")) == 1)
