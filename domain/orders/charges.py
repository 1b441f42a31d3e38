"""The money side of the order aggregate: what it charges (goods, shipping and their VAT),
what was paid and refunded, and the payment status that follows.

Amounts are decimals in the order's `currency`, quantised to its ISO 4217 minor unit;
line prices and the shipping charge are gross when `prices_include_tax`, else net.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from decimal import Decimal

from domain.accounting.model import PaymentTooLarge, RefundTooLarge, payment_status
from domain.accounting.tax import TaxSplit, shipping_split, split
from domain.orders.parts import OrderLine
from domain.orders.status import CANCELLED, CONFIRMED, PENDING_PAYMENT, format_order_number


class OrderCharges:
    """Mixed into `Order` (which declares these fields as a dataclass)."""

    currency: str
    status: str
    payment_status: str
    lines: list[OrderLine]
    subtotal: Decimal
    shipping_total: Decimal
    total: Decimal
    tax_total: Decimal
    prices_include_tax: bool
    paid: Decimal
    refunded: Decimal

    id: int | None

    def _subject(self) -> str:
        """How errors name the order: `Order ORD-000123`."""
        return f"Order {format_order_number(self.id)}" if self.id else "The order"

    @property
    def due(self) -> Decimal:
        """What is still to be paid (decimal in `currency`; 0 when paid in full)."""
        return max(self.charged - self.paid, Decimal(0))

    @property
    def charged(self) -> Decimal:
        """What the order charges now (decimal in `currency`): its `total`, which leaves out
        units cancelled before they shipped (`recompute_totals`); nothing once the whole
        order is cancelled (its totals then stay as they were, the record of what was
        cancelled)."""
        return Decimal(0) if self.status == CANCELLED else self.total

    @property
    def refundable(self) -> Decimal:
        """What may still be refunded: paid less refunded (decimal in `currency`)."""
        return self.paid - self.refunded

    def shipping_tax(self) -> TaxSplit:
        """Net and VAT of the shipping charge: it carries the VAT of the goods it delivers,
        apportioned by the lines' value at each rate (domain.accounting.tax.shipping_split;
        all lines as ordered, cancelled units included)."""
        return shipping_split(self.shipping_total, ((ln.total, ln.tax_rate) for ln in self.lines),
                              self.currency, self.prices_include_tax)

    @property
    def shipping_gross(self) -> Decimal:
        """What the customer pays for shipping, VAT included (decimal in `currency`)."""
        return self.shipping_tax().gross

    def record_payment(self, amount: Decimal) -> bool:
        """Add a payment (decimal in `currency`, > 0, at most `due`); True when it made an
        order that waited for its payment confirmed."""
        if amount > self.due:
            raise PaymentTooLarge(self._subject(), amount, self.due, self.currency)
        self.paid += amount
        self._settle()
        if self.status == PENDING_PAYMENT and self.paid >= self.charged:
            self.status = CONFIRMED
            return True
        return False

    def record_refund(self, amount: Decimal) -> None:
        """Pay back `amount` (decimal in `currency`, >= 0). Refunds never exceed payments:
        above `refundable` raises RefundTooLarge naming what is left."""
        if amount > self.refundable or (amount > 0 and self.paid <= 0):
            raise RefundTooLarge(self._subject(), amount, self.refundable,
                                 self.currency)
        self.refunded += amount
        self._settle()

    def total_of(self, units: Iterable[tuple[str, int, Decimal]]) -> Decimal:
        """What (sku, quantity, unit price) units of this order were charged, tax included
        (decimal in `currency`; the tax rate is the line's with that SKU and price)."""
        rates = {(ln.sku, ln.unit_price): ln.tax_rate for ln in self.lines}
        return split(((price * qty, rates.get((sku, price), Decimal(0)))
                      for sku, qty, price in units), self.currency,
                     self.prices_include_tax).gross

    def _settle(self) -> None:
        self.payment_status = payment_status(self.charged, self.paid, self.refunded)

    def recompute_totals(self, currency_quantize: Callable[[Decimal], Decimal]) -> None:
        """Subtotal, tax and total of what the order charges now, from its lines' units not
        cancelled and the shipping charge (decimals in `currency`): `tax_total` is the
        goods' VAT plus the shipping's; it is added to the total only when the prices do
        not include it. Called when the order is placed and after a partial cancellation."""
        kept = [(ln.unit_price * ln.open_quantity, ln.tax_rate) for ln in self.lines]
        self.subtotal = currency_quantize(sum((amount for amount, _ in kept), Decimal(0)))
        goods = split(kept, self.currency, self.prices_include_tax)
        self.tax_total = goods.tax + self.shipping_tax().tax
        extra_tax = Decimal(0) if self.prices_include_tax else self.tax_total
        self.total = currency_quantize(self.subtotal + self.shipping_total + extra_tax)
        self._settle()
