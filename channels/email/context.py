"""The render context of each e-mail kind, built from a notification and the read model.

Payloads, as the domain (``domain/policy.py``) and the scheduler store them::

    order_confirmation, order_delivered, invoice, review_request   {order_id}
    order_shipped        {order_id, shipment_id}   # or shipment{carrier, tracking_number, eta?}
    order_delayed        {order_id, stage, new_estimate: "YYYY-MM-DD"}
    order_cancelled      {order_id, reason}       # "unpaid" when the hold ran out
    return_approved      {order_id, return_id, return_address?: [line, …]}
    return_received_request, return_rejected, refund_issued    {order_id, return_id}
    link_code            {code, expires_minutes}        # the recipient is the customer
    payment_reminder, order_awaiting_payment   {order_id, hold_until?, payment_url?}
                         # hold_until (ISO-8601) defaults to placed_at + OMSBOT_UNPAID_HOLD
    review_request       may add unsubscribe_url (https) for a one-click unsubscribe
    purchase_order       {purchase_order: {number | id, sku, product_name, quantity,
                          supplier_email?, warehouse: {code, name, line1?, city,
                          postal_code, country}}}        # the recipient is the supplier
    refusal              {reason: bad_token|foreign_sender|too_large|malformed|unreadable,
                          in_reply_to?: "<message-id>"}

``order_id`` may also come from the notification's own ``order_id``.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from typing import Any

from channels.rendering import to_datetime
from domain.notifications import DeliveryFailed, Notification
from domain.queries import ReadModel, View

ORDER_KINDS = frozenset({
    "order_confirmation", "order_shipped", "order_delivered", "order_delayed",
    "review_request", "return_approved", "return_rejected", "refund_issued", "invoice",
    "payment_reminder", "order_cancelled", "order_awaiting_payment",
    "return_received_request",
})
RETURN_KINDS = frozenset({"return_approved", "return_rejected", "refund_issued",
                          "return_received_request"})


@dataclass(frozen=True)
class Shop:
    name: str
    email: str
    public_url: str

    def as_dict(self) -> dict[str, str]:
        return {"name": self.name, "email": self.email, "public_url": self.public_url}


def order_ids(batch: Collection[Notification]) -> set[int]:
    """The orders the mails of `batch` are about."""
    return {oid for n in batch if n.kind in ORDER_KINDS and (oid := order_id_of(n)) is not None}


def order_id_of(n: Notification) -> int | None:
    raw = n.payload.get("order_id", n.order_id)
    return raw if isinstance(raw, int) and not isinstance(raw, bool) else n.order_id


async def load_order(views: ReadModel, n: Notification,
                     known: Mapping[int, View] | None = None) -> View:
    """The order of `n`, from `known` (read ahead for a batch) or else read now."""
    order_id = order_id_of(n)
    order = None if order_id is None else (known or {}).get(order_id)
    if order is None and order_id is not None:
        order = await views.order(order_id)
    if order is None:
        raise DeliveryFailed(f"{n.kind}: order {order_id} not found", permanent=True)
    return order


def _shipment(order: View, payload: dict[str, Any]) -> dict[str, Any]:
    given = payload.get("shipment")
    if isinstance(given, dict):
        return given
    shipments = order.get("shipments") or []
    wanted = payload.get("shipment_id")
    for shipment in shipments:
        if wanted is not None and shipment.get("id") == wanted:
            return dict(shipment)
    shipped = [s for s in shipments if s.get("tracking_number")]
    if not shipped:
        raise DeliveryFailed("order_shipped: the order has no shipment", permanent=True)
    return dict(shipped[-1])


async def _return(views: ReadModel, order: View, payload: dict[str, Any]) -> dict[str, Any]:
    return_id = payload.get("return_id")
    ret = await views.return_(return_id) if isinstance(return_id, int) else None
    if ret is None:
        raise DeliveryFailed(f"return {return_id} not found", permanent=True)
    names = {line["sku"]: line["name"] for line in order.get("lines", [])}
    lines = [{**line, "name": names.get(line["sku"], line["sku"])} for line in ret["lines"]]
    refund = ret.get("refund_amount") or str(sum(
        (Decimal(line["unit_price"]) * line["quantity"] for line in ret["lines"]),
        Decimal(0)))
    return {**ret, "lines": lines, "refund_amount": refund}


def _cancelled_units(order: View, payload: dict[str, Any]) -> list[dict[str, Any]]:
    """The units a partial cancellation took off, [{sku, name, quantity}]; [] when the
    whole order was cancelled."""
    names = {line["sku"]: line["name"] for line in order.get("lines", [])}
    units = payload.get("lines")
    return [{"sku": str(u["sku"]), "name": names.get(u["sku"], u["sku"]),
             "quantity": int(u["quantity"])}
            for u in units if isinstance(u, dict)] if isinstance(units, list) else []


def _refund(order: View, payload: dict[str, Any]) -> dict[str, Any]:
    """A refund that is not a return's (units cancelled before they shipped): {amount,
    currency}, the amount a decimal string in the order's currency."""
    amount = payload.get("amount")
    if not isinstance(amount, str):
        raise DeliveryFailed("refund_issued: payload has neither return_id nor amount",
                             permanent=True)
    return {"amount": amount, "currency": str(payload.get("currency") or order["currency"])}


def _purchase_order(payload: dict[str, Any]) -> dict[str, Any]:
    po = payload.get("purchase_order")
    if not isinstance(po, dict) or not isinstance(po.get("warehouse"), dict):
        raise DeliveryFailed("purchase_order: payload has no purchase_order{…, warehouse}",
                             permanent=True)
    po = dict(po)
    if "number" not in po and isinstance(po.get("id"), int):
        po["number"] = f"PO-{po['id']:06d}"
    po.setdefault("product_name", po.get("sku", ""))
    return po


async def build_context(views: ReadModel, n: Notification, *, shop: Shop, tz: str,
                        locale: str, unpaid_hold: timedelta,
                        orders: Mapping[int, View] | None = None) -> dict[str, Any]:
    """Everything the templates of `n.kind` read (see channels/email/compose.py); `orders`:
    order views already read, by id (else each is read here)."""
    payload = n.payload
    context: dict[str, Any] = {"shop": shop.as_dict(), "tz": tz, "locale": locale,
                               "telegram_link": None}
    if n.kind == "purchase_order":
        context["purchase_order"] = _purchase_order(payload)
        return context
    if n.kind in ORDER_KINDS:
        order = await load_order(views, n, orders)
        context["order"] = order
        context["customer"] = {**order["customer"], "locale": locale}
    else:
        customer = await views.customer(n.recipient)
        context["customer"] = {"email": n.recipient, "locale": locale,
                               "name": (customer or {}).get("name")}
    if n.kind == "order_shipped":
        context["shipment"] = _shipment(context["order"], payload)
    elif n.kind == "order_delayed":
        context["new_estimate"] = payload.get("new_estimate")
    elif n.kind == "order_cancelled":
        context["reason"] = str(payload.get("reason") or "")
        context["cancelled"] = _cancelled_units(context["order"], payload)
    elif n.kind == "refund_issued" and "return_id" not in payload:
        context["refund"] = _refund(context["order"], payload)
    elif n.kind in RETURN_KINDS:
        context["return"] = await _return(views, context["order"], payload)
        address = payload.get("return_address")
        context["return_address"] = [str(line) for line in address] if isinstance(
            address, list) else []
    elif n.kind == "link_code":
        context["code"] = str(payload.get("code", ""))
        context["expires_minutes"] = payload.get("expires_minutes", 15)
    elif n.kind in ("payment_reminder", "order_awaiting_payment"):
        placed = to_datetime(context["order"]["placed_at"])
        context["hold_until"] = payload.get("hold_until") or (placed + unpaid_hold).isoformat()
        context["payment_url"] = payload.get("payment_url")
    elif n.kind == "review_request":
        url = payload.get("unsubscribe_url")
        context["unsubscribe_url"] = url if isinstance(url, str) and url.startswith(
            "https://") else None
    return context
