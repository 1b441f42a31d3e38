"""Third-party logistics: a warehouse run by a 3PL gets each of its parcels as a signed JSON
fulfilment request (through the outbox, so a 3PL that is down delays requests, never loses
them), and confirms shipments back with the same signature.

The signature is `sha256=<hex HMAC-SHA256 of the raw body>` with the warehouse's secret, in
`X-Omsbot-Signature`. A request's id is the parcel's shipment id; its dedupe key makes one
request row per parcel, and the 3PL may treat the id as an idempotency key.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from domain import events as ev
from domain.messagebus import Context, NotificationPolicy
from domain.notifications import Notification
from domain.orders import model as om
from domain.ports import UnitOfWork

CHANNEL = "fulfilment"
KIND = "fulfilment_request"
SIGNATURE_HEADER = "X-Omsbot-Signature"


def body_bytes(payload: dict[str, Any]) -> bytes:
    """The exact bytes sent (and signed): compact JSON with sorted keys."""
    return json.dumps(payload, sort_keys=True, separators=(",", ":")).encode()


def sign(secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def verify(secret: str, body: bytes, signature: str | None) -> bool:
    """True when `signature` is this body's signature with `secret` (constant time)."""
    return bool(signature) and hmac.compare_digest(sign(secret, body), str(signature))


@dataclass(frozen=True)
class ParcelsReady(ev.Event):
    """An order's parcels may leave: it was paid after being placed unpaid."""

    order_id: int


def fulfilment_request(order: om.Order, shipment: om.Shipment, names: dict[str, str]
                       ) -> dict[str, Any]:
    """The JSON a 3PL gets for one parcel."""
    return {
        "id": shipment.id, "order": order.number, "warehouse": shipment.warehouse,
        "shipping_method": order.shipping_method,
        "promised_delivery": order.promised_delivery.isoformat(),
        "ship_to": order.shipping_address,
        "lines": [{"sku": i.sku, "name": names.get(i.sku, i.sku), "quantity": i.quantity}
                  for i in shipment.items],
        "confirm_url": f"/api/v1/fulfilments/{shipment.id}/shipments",
    }


async def third_party_requests(event: ev.Event, uow: UnitOfWork, ctx: Context
                               ) -> list[Notification]:
    """Requests for the pending parcels of 3PL warehouses once an order may ship."""
    match event:
        case ev.OrderPlaced(order_id=oid, status=om.CONFIRMED) | ev.OrderAllocated(
                order_id=oid) | ParcelsReady(order_id=oid):
            pass
        case _:
            return []
    third_party = {w.code for w in await uow.reference.warehouses() if w.fulfilment}
    if not third_party:
        return []  # no 3PL: the order need not be read at all
    order = await uow.orders.get(oid)
    if order is None or order.status != om.CONFIRMED:
        return []
    now, found = ctx.clock.now(), []
    names = {ln.sku: ln.name for ln in order.lines}
    for shipment in order.pending_shipments():
        if shipment.warehouse not in third_party:
            continue
        found.append(Notification(
            channel=CHANNEL, kind=KIND, recipient=shipment.warehouse,
            payload=fulfilment_request(order, shipment, names), created_at=now,
            next_attempt_at=now, order_id=oid,
            dedupe_key=f"{CHANNEL}:{shipment.warehouse}:request:{shipment.id}"))
    return found


def with_third_party(policy: NotificationPolicy) -> NotificationPolicy:
    """The shop's notification policy plus the 3PL requests."""
    async def both(event: ev.Event, uow: UnitOfWork, ctx: Context) -> Sequence[Notification]:
        return [*await policy(event, uow, ctx), *await third_party_requests(event, uow, ctx)]

    return both


@dataclass(frozen=True)
class ConfirmFulfilment:
    """A 3PL says a parcel left: `lines` (SKU → units) when only part of it did."""

    shipment_id: int
    carrier: str
    tracking_number: str
    eta: date | None = None
    lines: tuple[tuple[str, int], ...] = ()
