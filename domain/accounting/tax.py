"""VAT: rates in percent, amounts split into net and tax per rate, rounded per currency.

Amounts are decimals in one currency; each rate group's tax is rounded half-even to the
currency's ISO 4217 minor unit (the way an invoice states VAT per rate). Shipping carries
no VAT here: only goods lines do.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from domain.money import quantize

HUNDRED = Decimal(100)
MAX_RATE = Decimal(100)


@dataclass(frozen=True)
class TaxSplit:
    """Goods amounts in one currency: `net` + `tax` = `gross` (decimals)."""

    net: Decimal
    tax: Decimal

    @property
    def gross(self) -> Decimal:
        return self.net + self.tax


def line_rate(line_rate: Decimal | None, product_rate: Decimal | None) -> Decimal:
    """The VAT rate (percent) of a line: its own, else its product's, else 0."""
    if line_rate is not None:
        return line_rate
    return product_rate if product_rate is not None else Decimal(0)


def split(amounts: Iterable[tuple[Decimal, Decimal]], currency: str,
          prices_include_tax: bool) -> TaxSplit:
    """Net and tax of (amount, rate-percent) pairs in `currency`.

    With `prices_include_tax` the amounts are gross (tax = gross × r / (100 + r)),
    otherwise net (tax = net × r / 100). Tax is summed per rate, then rounded.
    """
    by_rate: dict[Decimal, Decimal] = {}
    for amount, rate in amounts:
        by_rate[rate] = by_rate.get(rate, Decimal(0)) + amount
    net = tax = Decimal(0)
    for rate, amount in by_rate.items():
        if prices_include_tax:
            part = quantize(amount * rate / (HUNDRED + rate), currency)
            net += amount - part
        else:
            part = quantize(amount * rate / HUNDRED, currency)
            net += amount
        tax += part
    return TaxSplit(quantize(net, currency), tax)


def gross_unit_price(unit_price: Decimal, rate: Decimal, currency: str,
                     prices_include_tax: bool) -> Decimal:
    """What the customer paid for one unit (decimal in `currency`), tax included."""
    if prices_include_tax:
        return unit_price
    return quantize(unit_price * (HUNDRED + rate) / HUNDRED, currency)
