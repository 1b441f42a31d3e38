"""An order as the outside world sees it (CONTRACT §4 shape), built from the aggregate."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from domain.customers.model import Customer
from domain.money import plain, quantize
from domain.orders import model as om

View = dict[str, Any]


def money(amount: Decimal | None, currency: str) -> str | None:
    return None if amount is None else str(quantize(amount, currency))


def iso(value: datetime | date | None) -> str | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat().replace("+00:00", "Z")
    return value.isoformat()


def label_url(shipment: om.Shipment) -> str | None:
    """Where the shipping label of a parcel that omsbot bought is (API-relative)."""
    if shipment.service is None or shipment.tracking_number is None or shipment.id is None:
        return None
    return f"/api/v1/shipments/{shipment.id}/label.pdf"


def _line_view(ln: om.OrderLine, cur: str, *, whole_cancelled: bool) -> View:
    """A line: `quantity` as ordered and `cancelled` of them (CONTRACT §4);
    `charged_quantity` the units it charges now (all it ordered when the whole order was
    cancelled: the record of what was), `line_total` their price (decimal string, `cur`)."""
    charged = ln.quantity if whole_cancelled else ln.open_quantity
    return {"sku": ln.sku, "name": ln.name, "quantity": ln.quantity,
            "charged_quantity": charged, "unit_price": money(ln.unit_price, cur),
            "tax_rate": str(plain(ln.tax_rate)) if ln.tax_rate else "0",
            "line_total": money(ln.unit_price * charged, cur),
            "cancelled": ln.cancelled, "cancel_reason": ln.cancel_reason}


def order_view(order: om.Order, customer: Customer | None,
               method_name: str | None = None) -> View:
    """The order as CONTRACT §4 shows it; its totals are what it charges now (a partial
    cancellation has taken its units out), a whole cancelled order's what it charged.
    `method_name`: the name of its shipping method (what customers read, "HUF post");
    without it `shipping_method_name` is the code."""
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
        "tax_total": money(order.tax_total, cur),
        "prices_include_tax": order.prices_include_tax,
        "total": money(order.total, cur),
        "paid": money(order.paid, cur),
        "refunded": money(order.refunded, cur),
        "due": money(order.due, cur),
        "customer": {"email": customer.email if customer else None,
                     "name": customer.name if customer else None,
                     "locale": customer.locale if customer else None},
        "shipping_address": order.shipping_address,
        "shipping_method": order.shipping_method,
        "shipping_method_name": method_name or order.shipping_method,
        "lines": [_line_view(ln, cur, whole_cancelled=order.status == om.CANCELLED)
                  for ln in order.lines],
        "shipments": [{"id": s.id, "warehouse": s.warehouse, "carrier": s.carrier,
                       "tracking_number": s.tracking_number, "status": s.status,
                       "eta": iso(s.eta), "service": s.service, "box": s.box,
                       "weight_g": s.weight_g, "label_url": label_url(s),
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
