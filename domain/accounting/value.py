"""What customers and products are worth, in the base currency at each order day's rate.

Lifetime value is what a customer paid for orders that count (neither cancelled nor
replacements: goods, shipping and tax, `orders.total`) less what was paid back for returns;
revenue is goods net of VAT less the goods refunded net of VAT (the journal's `sales` less
its `refunds`); profit is revenue less the cost of goods. Amounts without a rate on their day are
kept apart in their own currency, never mixed in or dropped.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from domain.accounting.fx import to_base
from domain.accounting.sales import ZERO, Unconverted
from domain.money import quantize


@dataclass(frozen=True)
class MoneyRow:
    """Orders of one currency converted at one `rate` (base per unit; None: no rate on
    their days): sums in decimal units of `currency`. `total`: what they charged (VAT and
    shipping included); `goods`: goods net of VAT; `refunds`: paid back for returns (VAT
    and shipping included); `refunded_goods`: goods refunded, net of VAT."""

    currency: str
    rate: Decimal | None
    orders: int
    total: Decimal = ZERO
    goods: Decimal = ZERO
    cost: Decimal = ZERO
    refunds: Decimal = ZERO
    units: int = 0
    refunded_goods: Decimal = ZERO


@dataclass
class Worth:
    """Sums in the base currency (decimal units) and what could not be converted."""

    orders: int = 0
    units: int = 0
    lifetime_value: Decimal = ZERO
    revenue: Decimal = ZERO
    profit: Decimal = ZERO
    not_converted: dict[str, Unconverted] = field(default_factory=dict)

    def ranking(self, by: str) -> Decimal | int:
        """The figure `by` (`revenue`, `profit`, `units`) to sort on."""
        return self.units if by == "units" else getattr(self, by)


def worth(rows: Iterable[MoneyRow], base_currency: str) -> Worth:
    """Add `rows` up in `base_currency`, each group converted once at its rate (half-even
    to the base currency's digits); unconverted groups keep their lifetime amount apart."""
    found = Worth()
    for row in rows:
        found.orders += row.orders
        found.units += row.units
        revenue = row.goods - row.refunded_goods
        if row.rate is None:
            missing = found.not_converted.setdefault(row.currency, Unconverted(row.currency))
            missing.orders += row.orders
            missing.amount += row.total - row.refunds
            continue
        for name, amount in (("lifetime_value", row.total - row.refunds),
                             ("revenue", revenue), ("profit", revenue - row.cost)):
            converted = to_base(amount, row.rate, base_currency)
            assert converted is not None
            setattr(found, name, getattr(found, name) + converted)
    return found


def worth_view(w: Worth, base_currency: str) -> dict[str, Any]:
    """JSON-ready: money as decimal strings (ISO 4217 digits), `not_converted` as
    `[{currency, orders, amount}]` with amounts in their own currency."""
    def money(amount: Decimal, currency: str = base_currency) -> str:
        return str(quantize(amount, currency))

    return {"orders": w.orders, "units": w.units, "lifetime_value": money(w.lifetime_value),
            "revenue": money(w.revenue), "profit": money(w.profit), "currency": base_currency,
            "not_converted": [{"currency": u.currency, "orders": u.orders,
                               "amount": money(u.amount, u.currency)}
                              for u in sorted(w.not_converted.values(),
                                              key=lambda u: u.currency)]}
