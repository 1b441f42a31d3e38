"""Money facts of an order: payments received and refunds paid out.

A `Payment` is one movement of money between the customer and the shop, in the order's
currency, as a decimal amount quantised to that currency's ISO 4217 minor unit (EUR 18.90,
JPY 1200, KWD 1.250). A refund is a `Payment` of kind `refund`; its amount is positive too.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from enum import StrEnum

from domain.errors import DomainError
from domain.money import quantize

PAYMENT = "payment"
REFUND = "refund"


class PaymentStatus(StrEnum):
    """What the payments and refunds of an order add up to (CONTRACT §4)."""

    PENDING = "pending"
    PARTIALLY_PAID = "partially_paid"
    PAID = "paid"
    PARTIALLY_REFUNDED = "partially_refunded"
    REFUNDED = "refunded"


@dataclass(eq=False)
class Payment:
    """Money received (`kind` payment) or paid back (`kind` refund) for one order.

    `amount`: decimal in `currency` (the order's), > 0. `return_id`: the return a refund
    settles, if any. `at`: aware UTC.
    """

    order_id: int
    kind: str
    amount: Decimal
    currency: str
    at: datetime
    method: str | None = None
    reference: str | None = None
    return_id: int | None = None
    id: int | None = None


class RefundTooLarge(DomainError):
    """A refund above what is left to refund (what was paid less what was refunded)."""

    code = "refund_too_large"

    def __init__(self, subject: str, asked: Decimal, left: Decimal, currency: str) -> None:
        asked, left = quantize(asked, currency), quantize(max(left, Decimal(0)), currency)
        if left <= 0:
            text = f"{subject} has nothing left to refund (nothing paid, or all refunded)"
        else:
            text = (f"{subject}: a refund of {asked} {currency} is more than the "
                    f"{left} {currency} left to refund; give an amount up to {left}")
        super().__init__(text)
        self.left = left
        self.currency = currency


class PaymentTooLarge(DomainError):
    """A payment above what is still due on the order."""

    code = "payment_too_large"

    def __init__(self, subject: str, asked: Decimal, due: Decimal, currency: str) -> None:
        asked, due = quantize(asked, currency), quantize(due, currency)
        text = (f"{subject} is paid in full" if due <= 0 else
                f"{subject}: a payment of {asked} {currency} is more than the {due} "
                f"{currency} still due")
        super().__init__(text)
        self.due = due


def payment_status(total: Decimal, paid: Decimal, refunded: Decimal) -> PaymentStatus:
    """The status that follows from decimal amounts in one currency: what is charged
    (`total`), received (`paid`) and paid back (`refunded`)."""
    if refunded > 0:
        return PaymentStatus.REFUNDED if refunded >= paid else PaymentStatus.PARTIALLY_REFUNDED
    if paid <= 0:
        return PaymentStatus.PAID if total <= 0 else PaymentStatus.PENDING
    return PaymentStatus.PAID if paid >= total else PaymentStatus.PARTIALLY_PAID
