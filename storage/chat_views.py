"""What a chat may read: who is behind it, and its customer's orders (one query each)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import bindparam, select

from domain.linking.queries import ChatProfile
from domain.orders.model import CANCELLED, format_order_number
from domain.orders.snapshot import iso, money
from domain.queries import View
from storage import orm
from storage.engine import Database

_o, _c, _l, _s = orm.orders, orm.customers, orm.order_lines, orm.shipments
# An order with its customer, lines and shipments in one round trip: the join repeats the
# order per line x shipment, which for a customer's order is a handful of rows.
_ORDER = (
    select(_o.c.id, _o.c.customer_id, _o.c.status, _o.c.currency, _o.c.total, _o.c.placed_at,
           _o.c.promised_delivery, _o.c.delivered_at, _o.c.shipped_at,
           _c.c.email, _c.c.name.label("customer_name"), _c.c.locale,
           _l.c.id.label("line_id"), _l.c.sku, _l.c.name.label("line_name"), _l.c.quantity,
           _l.c.cancelled, _l.c.unit_price, _s.c.id.label("shipment_id"), _s.c.warehouse,
           _s.c.carrier, _s.c.tracking_number, _s.c.status.label("shipment_status"), _s.c.eta)
    .join(_c, _c.c.id == _o.c.customer_id)
    .outerjoin(_l, _l.c.order_id == _o.c.id)
    .outerjoin(_s, _s.c.order_id == _o.c.id)
)
# Built once: SQLAlchemy keys its compiled-statement cache on the statement, so a statement
# built per call is walked for its cache key every time; the ids are one expanding parameter.
_ORDERS_BY_ID = (_ORDER.where(_o.c.id.in_(bindparam("ids", expanding=True)))
                 .order_by(_o.c.id, _l.c.id, _s.c.id))


_t = orm.telegram_links
_CHATS_BY_ID = (
    select(_t.c.chat_id, _t.c.customer_id, _t.c.locale.label("chat_locale"), _t.c.unreachable,
           _c.c.email, _c.c.name, _c.c.locale)
    .join(_c, _c.c.id == _t.c.customer_id)
    .where(_t.c.chat_id.in_(bindparam("ids", expanding=True)))
)


class SqlChatDirectory:
    """ChatDirectory on SQL."""

    def __init__(self, db: Database) -> None:
        self.db = db

    async def chat(self, chat_id: int) -> ChatProfile | None:
        return (await self.chats([chat_id])).get(chat_id)

    async def chats(self, chat_ids: Sequence[int]) -> dict[int, ChatProfile]:
        if not chat_ids:
            return {}
        async with self.db.read_engine.connect() as conn:
            rows = (await conn.execute(_CHATS_BY_ID, {"ids": sorted(set(chat_ids))})).all()
        return {row.chat_id: ChatProfile(row.chat_id, row.customer_id, row.email, row.name or "",
                                         row.chat_locale or row.locale, bool(row.unreachable))
                for row in rows}

    async def orders(self, keys: Sequence[tuple[int, int]]) -> dict[tuple[int, int], View]:
        if not keys:
            return {}
        ids = sorted({oid for _, oid in keys})
        async with self.db.read_engine.connect() as conn:
            rows = (await conn.execute(_ORDERS_BY_ID, {"ids": ids})).all()
        by_order: dict[int, list[Any]] = {}
        for row in rows:
            by_order.setdefault(row.id, []).append(row)
        return {(cid, oid): _order_view(by_order[oid]) for cid, oid in keys
                if oid in by_order and by_order[oid][0].customer_id == cid}


def _order_view(rows: Sequence[Any]) -> View:
    """The fields of storage.views.order_view that customers see; shipments once they have
    left (a carrier), since a pending allocation means nothing to a customer."""
    first, cur = rows[0], rows[0].currency
    whole = first.status == CANCELLED  # then the lines as they were, else what they charge
    lines = {r.line_id: {"sku": r.sku, "name": r.line_name, "quantity": r.quantity,
                         "cancelled": r.cancelled,
                         "charged_quantity": r.quantity if whole else r.quantity - r.cancelled,
                         "unit_price": money(r.unit_price, cur),
                         "line_total": money(r.unit_price * (
                             r.quantity if whole else r.quantity - r.cancelled), cur)}
             for r in rows if r.line_id is not None}
    shipments = {r.shipment_id: {"warehouse": r.warehouse, "carrier": r.carrier,
                                 "tracking_number": r.tracking_number,
                                 "status": r.shipment_status, "eta": iso(r.eta)}
                 for r in rows if r.shipment_id is not None and r.carrier}
    return {
        "number": format_order_number(first.id), "status": first.status, "currency": cur,
        "total": money(first.total, cur),
        "customer": {"email": first.email, "name": first.customer_name,
                     "locale": first.locale},
        "lines": list(lines.values()), "shipments": list(shipments.values()),
        "placed_at": iso(first.placed_at), "promised_delivery": iso(first.promised_delivery),
        "shipped_at": iso(first.shipped_at), "delivered_at": iso(first.delivered_at),
    }
