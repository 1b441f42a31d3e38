"""Recording money received: the payment fact, the order's paid total, the journal event,
and the confirmation of an order that waited for its payment."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from domain.accounting import commands as c
from domain.accounting.events import OrderPaid, PaymentReceived
from domain.accounting.model import PAYMENT, Payment
from domain.errors import ORDER, NotFound, ValidationError
from domain.messagebus import Context
from domain.money import check_digits
from domain.orders import model as om
from domain.orders.snapshot import iso
from domain.ports import UnitOfWork
from domain.texts import N_, Text


async def take_payment(order: om.Order, amount: Decimal, uow: UnitOfWork, ctx: Context, *,
                       at: datetime | None = None, method: str | None = None,
                       reference: str | None = None) -> Payment | None:
    """Record `amount` (decimal in the order's currency) received for a stored order;
    None when the amount is 0 (nothing to record). Raises PaymentTooLarge above what is
    due."""
    if amount <= 0:
        return None
    confirmed = order.record_payment(amount)
    payment = await store_payment(order, amount, uow, ctx, at=at, method=method,
                                  reference=reference)
    if confirmed:
        assert order.id is not None
        ctx.audit("order.paid", order.number)
        ctx.emit(OrderPaid(order.id, order.customer_id))
    return payment


async def store_payment(order: om.Order, amount: Decimal, uow: UnitOfWork, ctx: Context, *,
                        at: datetime | None = None, method: str | None = None,
                        reference: str | None = None) -> Payment:
    """Store the fact of a payment the order has already counted (`Order.record_payment`)
    and raise its journal event; `amount` is a decimal in the order's currency."""
    assert order.id is not None
    payment = Payment(order.id, PAYMENT, amount, order.currency, at or ctx.clock.now(),
                      method=method, reference=reference)
    await uow.payments.add(payment)
    assert payment.id is not None
    ctx.emit(PaymentReceived(order.id, payment.id, order.currency, amount, payment.at, method))
    return payment


async def record_payment(cmd: c.RecordPayment, uow: UnitOfWork, ctx: Context
                         ) -> c.PaymentRecorded:
    order = await uow.orders.get(cmd.order_id, for_update=True)
    if order is None:
        raise NotFound(ORDER, om.format_order_number(cmd.order_id))
    if cmd.currency is not None and cmd.currency != order.currency:
        raise ValidationError("currency", Text.of(
            N_("%(number)s is in %(currency)s, not %(given)s"), number=order.number,
            currency=order.currency, given=cmd.currency))
    amount = check_digits(cmd.amount, order.currency, "amount")
    if amount <= 0:
        raise ValidationError("amount", Text.of(N_("must be a positive %(currency)s amount"),
                                                currency=order.currency))
    if cmd.at is not None and cmd.at < order.placed_at:  # (a future `at`: the input policy)
        raise ValidationError("at", Text.of(N_("is before %(number)s was placed (%(placed)s)"),
                                            number=order.number,
                                            placed=iso(order.placed_at)))
    if order.status == om.CANCELLED:
        raise ValidationError("order", Text.of(N_("%(number)s is cancelled"),
                                               number=order.number))
    payment = await take_payment(order, amount, uow, ctx, at=cmd.at, method=cmd.method,
                                 reference=cmd.reference)
    assert payment is not None and order.id is not None
    ctx.audit("order.payment", order.number, amount=str(amount), method=cmd.method)
    return c.PaymentRecorded(order.id, order.number, payment.id, amount,
                             order.payment_status, order.status)


async def confirm_payment(order: om.Order, uow: UnitOfWork, ctx: Context) -> None:
    """Staff say the order is paid: what is still due is recorded as one payment."""
    order.require("confirm")
    if order.due > 0:
        await take_payment(order, order.due, uow, ctx, method="manual")
    if order.status == om.PENDING_PAYMENT:
        order.confirm_payment()
        assert order.id is not None
        ctx.emit(OrderPaid(order.id, order.customer_id))
