"""VAT: rates in percent, amounts split into net and tax per rate, rounded per currency.

Amounts are decimals in one currency; each rate group's tax is rounded half-even to the
currency's ISO 4217 minor unit (the way an invoice states VAT per rate). A shipping charge
carries the VAT of the goods it delivers (`shipping_split`).
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


def net_of_tax(amount: Decimal, rate: Decimal, currency: str, prices_include_tax: bool
               ) -> Decimal:
    """`amount` (decimal in `currency`, gross when `prices_include_tax`) without its VAT at
    `rate` percent: the `net` of `split` for one rate, rounded as an invoice rounds it."""
    return split([(amount, rate)], currency, prices_include_tax).net


def gross_unit_price(unit_price: Decimal, rate: Decimal, currency: str,
                     prices_include_tax: bool) -> Decimal:
    """What the customer paid for one unit (decimal in `currency`), tax included."""
    if prices_include_tax:
        return unit_price
    return quantize(unit_price * (HUNDRED + rate) / HUNDRED, currency)


def shipping_split(shipping: Decimal, goods: Iterable[tuple[Decimal, Decimal]],
                   currency: str, prices_include_tax: bool) -> TaxSplit:
    """Net and VAT of a shipping charge (decimal in `currency`, gross when
    `prices_include_tax`, else net) that delivers `goods` ((amount, rate-percent) pairs).

    Delivery charged to the customer follows the goods it delivers: it is part of their
    taxable amount (VAT Directive 2006/112/EC, Art. 78(b): "incidental expenses, such as
    … transport … charged by the supplier to the customer"). With goods at several rates
    the charge is apportioned by the goods' value at each rate (HMRC VAT Notice 700/24,
    postage and delivery: a delivery charge for goods of mixed liability is apportioned
    between them), rather than taxed whole at the rate of the dearest line. Goods worth
    nothing at all (a free gift alone) lend the highest of their rates. The VAT is rounded
    once, half-even, to the currency's minor unit.
    """
    by_rate: dict[Decimal, Decimal] = {}
    for amount, rate in goods:
        by_rate[rate] = by_rate.get(rate, Decimal(0)) + amount
    worth = sum(by_rate.values(), Decimal(0))
    if worth > 0:
        shares = [(amount / worth, rate) for rate, amount in by_rate.items()]
    else:
        shares = [(Decimal(1), max(by_rate, default=Decimal(0)))]
    exact = sum((shipping * share * rate
                 / (HUNDRED + rate if prices_include_tax else HUNDRED) for share, rate in shares),
                Decimal(0))
    tax = quantize(exact, currency)
    return TaxSplit(shipping - tax if prices_include_tax else shipping, tax)


def share_of(part: Decimal, whole: Decimal, amount: Decimal, currency: str) -> Decimal:
    """`amount` × `part` / `whole`, rounded to `currency` (0 when `whole` is 0): the VAT in
    a part of a gross sum, exactly `amount` when the part is the whole."""
    if not whole:
        return Decimal(0)
    return amount if part == whole else quantize(amount * part / whole, currency)
