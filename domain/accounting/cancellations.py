"""Money back for units cancelled before they shipped (a partial or whole cancellation)."""

from __future__ import annotations

from decimal import Decimal

from domain.accounting.events import OrderPaid, RefundPaid
from domain.accounting.model import REFUND, Payment
from domain.events import CancelledLine
from domain.messagebus import Context
from domain.orders import model as om
from domain.ports import UnitOfWork


def cancelled_value(order: om.Order, units: tuple[CancelledLine, ...], whole: bool) -> Decimal:
    """What the cancelled `units` were charged (decimal in the order's currency, tax
    included), with the shipping (its VAT included) when the whole order is cancelled."""
    gross = order.total_of((u.sku, u.quantity, u.unit_price) for u in units)
    return gross + (order.shipping_gross if whole else Decimal(0))


async def refund_cancelled(order: om.Order, units: tuple[CancelledLine, ...], whole: bool,
                           uow: UnitOfWork, ctx: Context) -> Decimal:
    """Pay back what the customer paid for units that will never ship: their value, but
    only what was paid beyond what the order still charges (a partly paid order first
    stops owing, and is confirmed when what is left is paid for). Returns the refund
    (decimal in the order's currency; 0 when none)."""
    if not units:
        return Decimal(0)
    if order.status == om.PENDING_PAYMENT and order.paid > 0 and order.due <= 0:
        order.confirm_payment()  # what is left is paid for now
        assert order.id is not None
        ctx.emit(OrderPaid(order.id, order.customer_id))
    owed = max(order.paid - order.charged, Decimal(0))
    amount = min(cancelled_value(order, units, whole), order.refundable, owed)
    if amount <= 0:
        return Decimal(0)
    order.record_refund(amount)
    assert order.id is not None
    refund = Payment(order.id, REFUND, amount, order.currency, ctx.clock.now(),
                     method="cancellation")
    await uow.payments.add(refund)
    assert refund.id is not None
    ctx.emit(RefundPaid(order.id, refund.id, order.currency, refund.at, amount,
                        unshipped=True, customer_id=order.customer_id))
    ctx.audit("order.refund", order.number, amount=str(amount), reason="cancelled")
    return amount
