"""Which events reach which people, through which channel.

Each event becomes notification rows stored in the same transaction as the change; the
delivery worker sends them later. Dedupe keys make a repeated event harmless.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from domain import events as ev
from domain.accounting.events import OrderPaid, PaymentReminderDue, RefundPaid
from domain.inbox.events import InboundMailRefused
from domain.messagebus import Context
from domain.notifications import EMAIL, SLACK, STAFF, TELEGRAM, Notification
from domain.orders.model import PENDING_PAYMENT, format_order_number
from domain.ports import UnitOfWork
from domain.returns.address import return_address
from domain.texts import to_data

LOW_RATING = 2


class _Builder:
    def __init__(self, uow: UnitOfWork, ctx: Context) -> None:
        self.uow = uow
        self.ctx = ctx
        self.out: list[Notification] = []

    def add(self, channel: str, kind: str, recipient: str, payload: dict[str, Any], *,
            locale: str | None = None, order_id: int | None = None,
            dedupe: str | None = None) -> None:
        now = self.ctx.clock.now()
        self.out.append(Notification(
            channel=channel, kind=kind, recipient=recipient, payload=payload, created_at=now,
            next_attempt_at=now, locale=locale, order_id=order_id,
            dedupe_key=f"{channel}:{recipient}:{dedupe}" if dedupe else None,
        ))

    def staff(self, kind: str, payload: dict[str, Any], *, order_id: int | None = None,
              dedupe: str | None = None) -> None:
        self.add(SLACK, kind, STAFF, payload, order_id=order_id, dedupe=dedupe)

    async def customer(self, customer_id: int, kind: str, payload: dict[str, Any], *,
                       order_id: int | None, dedupe: str, email: bool = True,
                       telegram: bool = False, telegram_instead: bool = False) -> None:
        """E-mail and/or the customer's linked chats; `telegram_instead`: chat if linked."""
        customer = await self.uow.customers.get(customer_id)
        if customer is None:
            return
        locale = customer.locale or self.ctx.config.default_locale
        chats = ([link for link in await self.uow.customers.telegram_links(customer_id)
                  if not link.unreachable] if telegram or telegram_instead else [])
        for link in chats:
            self.add(TELEGRAM, kind, str(link.chat_id), payload, locale=link.locale or locale,
                     order_id=order_id, dedupe=dedupe)
        if email and not (telegram_instead and chats):
            self.add(EMAIL, kind, customer.email, payload, locale=locale, order_id=order_id,
                     dedupe=dedupe)


def _delay_text(order_id: int, stage: str, estimate: date) -> str:
    what = ("was not shipped by its promised ship-by time" if stage == "ship"
            else "is past its delivery ETA and not delivered yet")
    return (f"Order {format_order_number(order_id)} {what}. The customer gets an apology "
            f"with the new estimate {estimate.isoformat()}.")


async def notifications_for(event: ev.Event, uow: UnitOfWork, ctx: Context
                            ) -> Sequence[Notification]:
    b = _Builder(uow, ctx)
    match event:
        case ev.OrderPlaced(order_id=oid, customer_id=cid, flags=flags, status=status,
                            notify_customer=True):
            if status == PENDING_PAYMENT:  # confirmed (and mailed so) once it is paid
                await b.customer(cid, "order_awaiting_payment", {"order_id": oid},
                                 order_id=oid, dedupe=f"order_awaiting_payment:{oid}")
            else:
                await b.customer(cid, "order_confirmation", {"order_id": oid}, order_id=oid,
                                 dedupe=f"order_confirmation:{oid}")
            if "vip" in flags:
                b.staff("vip_order", {"order_id": oid}, order_id=oid, dedupe=f"vip:{oid}")
        case OrderPaid(order_id=oid, customer_id=cid):
            await b.customer(cid, "order_confirmation", {"order_id": oid}, order_id=oid,
                             dedupe=f"order_confirmation:{oid}")
        case PaymentReminderDue(order_id=oid, customer_id=cid):
            await b.customer(cid, "payment_reminder", {"order_id": oid}, order_id=oid,
                             dedupe=f"payment_reminder:{oid}")
        case ev.OrderBackordered(order_id=oid, skus=skus):
            b.staff("order_backordered", {"order_id": oid, "skus": list(skus)}, order_id=oid,
                    dedupe=f"backordered:{oid}")
        case ev.OrderShipped(order_id=oid, customer_id=cid, shipment_id=sid):
            await b.customer(cid, "order_shipped", {"order_id": oid, "shipment_id": sid},
                             order_id=oid, dedupe=f"shipped:{sid}", telegram=True)
        case ev.ShipmentOutForDelivery(order_id=oid, customer_id=cid, shipment_id=sid):
            await b.customer(cid, "order_out_for_delivery",
                             {"order_id": oid, "shipment_id": sid}, order_id=oid,
                             dedupe=f"out_for_delivery:{sid}", email=False, telegram=True)
        case ev.OrderDelivered(order_id=oid, customer_id=cid):
            await b.customer(cid, "order_delivered", {"order_id": oid}, order_id=oid,
                             dedupe=f"delivered:{oid}", telegram=True)
        case ev.OrderDelayed(order_id=oid, customer_id=cid, stage=stage, new_estimate=eta):
            payload = {"order_id": oid, "stage": stage, "new_estimate": eta.isoformat()}
            await b.customer(cid, "order_delayed", payload, order_id=oid,
                             dedupe=f"delayed:{oid}:{stage}", telegram_instead=True)
            b.staff("order_delayed", {**payload, "text": _delay_text(oid, stage, eta)},
                    order_id=oid, dedupe=f"delayed:{oid}:{stage}")
        case ev.ShipmentProblem(order_id=oid, shipment_id=sid, detail=detail):
            b.staff("shipment_problem", {"order_id": oid, "shipment_id": sid, "detail": detail},
                    order_id=oid, dedupe=f"problem:{sid}")
        case ev.ReturnRequested(return_id=rid, order_id=oid, customer_id=cid, reason=reason,
                                channel=channel):
            b.staff("return_requested", {"return_id": rid, "order_id": oid, "reason": reason,
                                         "channel": channel}, order_id=oid,
                    dedupe=f"return:{rid}")
            await b.customer(cid, "return_received_request", {"return_id": rid, "order_id": oid},
                             order_id=oid, dedupe=f"return_received_request:{rid}")
        case ev.ReturnDecided(return_id=rid, order_id=oid, customer_id=cid, status=status):
            kind = {"approved": "return_approved", "rejected": "return_rejected",
                    "refunded": "refund_issued"}.get(status)
            decided: dict[str, Any] = {"return_id": rid, "order_id": oid}
            if kind == "return_approved":
                decided["return_address"] = await return_address(rid, oid, uow, ctx.config)
            if kind is not None:
                await b.customer(cid, kind, decided, order_id=oid, dedupe=f"{kind}:{rid}")
        case ev.ReviewRecorded(order_id=oid, rating=rating) if rating <= LOW_RATING:
            b.staff("low_rating", {"order_id": oid, "rating": rating}, order_id=oid,
                    dedupe=f"low_rating:{oid}")
        case ev.CustomerMessageReceived():
            b.staff("customer_message", {
                "sender": event.sender, "sender_name": event.sender_name,
                "subject": event.subject, "text": event.text[:3000],
                "order_id": event.order_id, "problem": event.problem,
                "note": to_data(event.note) if event.note else None}, order_id=event.order_id)
        case ev.LinkCodeIssued(customer_id=cid, code=code, expires_minutes=minutes):
            await b.customer(cid, "link_code", {"code": code, "expires_minutes": minutes},
                             order_id=None, dedupe=f"link_code:{code}")
        case ev.OrderCancelled(order_id=oid, customer_id=cid, reason=reason,
                               notify_customer=True):
            await b.customer(cid, "order_cancelled", {"order_id": oid, "reason": reason},
                             order_id=oid, dedupe=f"order_cancelled:{oid}")
        case ev.OrderLinesCancelled(order_id=oid, customer_id=cid, whole_order=False,
                                    notify_customer=True):
            units = [{"sku": u.sku, "quantity": u.quantity} for u in event.lines]
            await b.customer(cid, "order_cancelled",
                             {"order_id": oid, "reason": event.reason, "lines": units},
                             order_id=oid,
                             dedupe=f"order_cancelled:{oid}:{ctx.clock.now().isoformat()}")
        case RefundPaid(order_id=oid, customer_id=int(cid), refund_id=rid, unshipped=True):
            await b.customer(cid, "refund_issued", {
                "order_id": oid, "amount": str(event.amount), "currency": event.currency},
                order_id=oid, dedupe=f"refund_issued:refund:{rid}")
        case ev.ReviewRequested(order_id=oid, customer_id=cid):
            await b.customer(cid, "review_request", {"order_id": oid}, order_id=oid,
                             dedupe=f"review_request:{oid}")
        case ev.PurchaseOrderApproved():
            b.add(EMAIL, "purchase_order", event.supplier_email, {"purchase_order": {
                "id": event.purchase_order_id, "number": event.number, "sku": event.sku,
                "product_name": event.product_name, "quantity": event.quantity,
                "supplier_email": event.supplier_email, "warehouse": dict(event.warehouse)}},
                locale=ctx.config.default_locale,
                dedupe=f"purchase_order:{event.purchase_order_id}")
        case ev.StaffAlertRaised(kind=kind, text=text, data=data, dedupe_key=key):
            b.staff(kind, {"text": text, **data}, dedupe=key)
        case InboundMailRefused(recipient=to, reason=reason, in_reply_to=mid, locale=loc):
            # At most one automatic answer per address and hour: robots cannot make us loop.
            b.add(EMAIL, "refusal", to, {"reason": reason, "in_reply_to": mid}, locale=loc,
                  dedupe=f"refusal:{ctx.clock.now():%Y-%m-%dT%H}")
        case _:
            pass
    return b.out
