"""Read models: queries that answer the API and the chats, shaped as CONTRACT §4 says."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select, text

from domain.customers.model import Customer, normalise_email
from domain.errors import ValidationError
from domain.money import quantize
from domain.orders import model as om
from domain.queries import View
from domain.returns.model import ReturnRequest, allowed_return_actions
from storage import orm
from storage.engine import Database


def money(amount: Decimal | None, currency: str) -> str | None:
    return None if amount is None else str(quantize(amount, currency))


def iso(value: datetime | date | None) -> str | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.isoformat().replace("+00:00", "Z")
    return value.isoformat()


def order_view(order: om.Order, customer: Customer | None) -> View:
    cur = order.currency
    return {
        "number": order.number,
        "external_id": order.external_id,
        "channel": order.channel,
        "status": order.status,
        "payment_status": order.payment_status,
        "currency": cur,
        "subtotal": money(order.subtotal, cur),
        "shipping_total": money(order.shipping_total, cur),
        "total": money(order.total, cur),
        "customer": {"email": customer.email if customer else None,
                     "name": customer.name if customer else None,
                     "locale": customer.locale if customer else None},
        "shipping_address": order.shipping_address,
        "shipping_method": order.shipping_method,
        "lines": [{"sku": ln.sku, "name": ln.name, "quantity": ln.quantity,
                   "unit_price": money(ln.unit_price, cur),
                   "line_total": money(ln.unit_price * ln.quantity, cur)}
                  for ln in order.lines],
        "shipments": [{"warehouse": s.warehouse, "carrier": s.carrier,
                       "tracking_number": s.tracking_number, "status": s.status,
                       "eta": iso(s.eta),
                       "items": [{"sku": i.sku, "quantity": i.quantity} for i in s.items]}
                      for s in order.shipments],
        "flags": list(order.flags),
        "placed_at": iso(order.placed_at),
        "promised_ship_by": iso(order.promised_ship_by),
        "promised_delivery": iso(order.promised_delivery),
        "shipped_at": iso(order.shipped_at),
        "delivered_at": iso(order.delivered_at),
        "cancel_reason": order.cancel_reason,
        "review": None if order.review_rating is None else {
            "rating": order.review_rating, "comment": order.review_comment},
        "allowed_actions": om.allowed_actions(order.status),
    }


def return_view(ret: ReturnRequest, order_number: str) -> View:
    return {
        "rma": ret.rma,
        "order": order_number,
        "status": ret.status,
        "reason": ret.reason,
        "exchange": ret.exchange,
        "channel": ret.channel,
        "currency": ret.currency,
        "refund_amount": money(ret.refund_amount, ret.currency),
        "lines": [{"sku": ln.sku, "quantity": ln.quantity,
                   "unit_price": money(ln.unit_price, ret.currency)} for ln in ret.lines],
        "replacement_order": (om.format_order_number(ret.replacement_order_id)
                              if ret.replacement_order_id else None),
        "created_at": iso(ret.created_at),
        "allowed_actions": allowed_return_actions(ret.status),
    }


class SqlReadModel:
    def __init__(self, db: Database, base_currency: str) -> None:
        self.db = db
        self.base_currency = base_currency

    async def order(self, order_id: int) -> View | None:
        async with self.db.read_sessions() as s:
            order = await s.get(om.Order, order_id)
            if order is None:
                return None
            return order_view(order, await s.get(Customer, order.customer_id))

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
        next_cursor = page[-1].id if len(found) > limit and page else None
        return [order_view(o, customers.get(o.customer_id)) for o in page], next_cursor

    @staticmethod
    async def _customers(s: Any, ids: set[int]) -> dict[int, Customer]:
        if not ids:
            return {}
        rows = await s.scalars(select(Customer).where(orm.customers.c.id.in_(ids)))
        return {c.id: c for c in rows}

    async def inventory(self, sku: str) -> list[View] | None:
        t = orm.stock_levels
        async with self.db.read_sessions() as s:
            if await s.scalar(select(orm.products.c.sku).where(orm.products.c.sku == sku)) \
                    is None:
                return None
            rows = await s.execute(select(t).where(t.c.sku == sku).order_by(t.c.warehouse))
            return [{"warehouse": r.warehouse, "on_hand": r.on_hand, "reserved": r.reserved,
                     "available": r.on_hand - r.reserved} for r in rows]

    async def customer(self, email: str) -> View | None:
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
            value = await s.scalar(select(func.coalesce(func.sum(o.c.total), 0)).where(
                o.c.customer_id == cust.id, o.c.status != om.CANCELLED,
                o.c.currency == self.base_currency))
        return {"email": cust.email, "name": cust.name, "phone": cust.phone,
                "locale": cust.locale, "orders": int(count or 0),
                "lifetime_value": money(Decimal(value or 0), self.base_currency),
                "currency": self.base_currency, "flags": list(cust.flags)}

    async def returns(self, *, status: str | None = None, limit: int = 50) -> list[View]:
        stmt = select(ReturnRequest).order_by(orm.returns.c.id.desc()).limit(limit)
        if status:
            stmt = stmt.where(orm.returns.c.status == status)
        async with self.db.read_sessions() as s:
            found: Sequence[ReturnRequest] = list(await s.scalars(stmt))
        return [return_view(r, om.format_order_number(r.order_id)) for r in found]

    async def return_(self, return_id: int) -> View | None:
        async with self.db.read_sessions() as s:
            ret = await s.get(ReturnRequest, return_id)
        return None if ret is None else return_view(ret, om.format_order_number(ret.order_id))

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

    async def healthy(self) -> bool:
        async with self.db.read_sessions() as s:
            return bool(await s.scalar(text("SELECT 1")) == 1)
