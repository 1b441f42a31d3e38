"""The sales report (CONTRACT §9): orders, revenue net of refunds and margin, by channel and
by day, in the base currency at each order day's rate; what has no rate is listed apart.

Revenue is goods net of VAT (quantity × unit price, less the VAT it includes when prices
include tax; no shipping), as the journal's `sales` account books it; refunds are the goods
refunded net of VAT, as its `refunds` account books them; margin is net revenue (revenue
less refunds) less the cost of goods (quantity × unit cost). Cancelled and replacement orders
are left out. Orders count on the day they were placed, in the shop's time zone.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from domain.accounting.fx import to_base
from domain.accounting.periods import ReportWindow
from domain.money import quantize

ZERO = Decimal(0)
RateOn = Callable[[str, date], Decimal | None]  # (currency, day) → base per unit, or None


@dataclass(frozen=True)
class SalesRow:
    """One group of orders of one currency, channel and day (shop time zone): `revenue`,
    `cost` and `refunds` in decimal units of `currency`."""

    currency: str
    channel: str
    day: date
    orders: int = 0
    revenue: Decimal = ZERO
    cost: Decimal = ZERO
    refunds: Decimal = ZERO


@dataclass
class Figures:
    """Orders and money in the base currency (decimal units)."""

    orders: int = 0
    revenue: Decimal = ZERO
    refunds: Decimal = ZERO
    cost: Decimal = ZERO

    @property
    def net_revenue(self) -> Decimal:
        return self.revenue - self.refunds

    @property
    def margin(self) -> Decimal:
        return self.net_revenue - self.cost

    def add(self, orders: int, revenue: Decimal, refunds: Decimal, cost: Decimal) -> None:
        self.orders += orders
        self.revenue += revenue
        self.refunds += refunds
        self.cost += cost


@dataclass
class Unconverted:
    """Orders of a currency without a rate on their day: `amount` is their net revenue in
    decimal units of `currency` (never converted, never dropped)."""

    currency: str
    orders: int = 0
    amount: Decimal = ZERO


@dataclass
class SalesReport:
    """The report of `window` in `currency` (the base currency). `orders` counts every
    order, converted or not; money counts converted orders only (see `not_converted`)."""

    window: ReportWindow
    currency: str
    total: Figures = field(default_factory=Figures)
    by_channel: dict[str, Figures] = field(default_factory=dict)
    by_day: dict[date, Figures] = field(default_factory=dict)
    not_converted: dict[str, Unconverted] = field(default_factory=dict)


def build_sales_report(window: ReportWindow, rows: Iterable[SalesRow], rate_on: RateOn,
                       base_currency: str) -> SalesReport:
    """Convert each row at `rate_on(row.currency, row.day)` (rounded half-even to the base
    currency's digits, per row) and add it up by channel and by day."""
    report = SalesReport(window, base_currency,
                         by_day={day: Figures() for day in window.days})
    for row in rows:
        rate = rate_on(row.currency, row.day)
        revenue, refunds, cost = (to_base(v, rate, base_currency)
                                  for v in (row.revenue, row.refunds, row.cost))
        if revenue is None or refunds is None or cost is None:
            missing = report.not_converted.setdefault(row.currency, Unconverted(row.currency))
            missing.orders += row.orders
            missing.amount += row.revenue - row.refunds
            revenue = refunds = cost = ZERO
        for figures in (report.total, report.by_channel.setdefault(row.channel, Figures()),
                        report.by_day.setdefault(row.day, Figures())):
            figures.add(row.orders, revenue, refunds, cost)
    return report


def sales_report_view(report: SalesReport) -> dict[str, Any]:
    """The JSON shape of `GET /api/v1/reports/{period}`: money as decimal strings with the
    ISO 4217 digits of its currency, dates as ISO days in the shop's time zone."""
    base = report.currency

    def money(amount: Decimal, currency: str = base) -> str:
        return str(quantize(amount, currency))

    t = report.total
    return {
        "period": report.window.period, "from": report.window.first.isoformat(),
        "to": report.window.last.isoformat(), "timezone": report.window.timezone,
        "title": report.window.title, "currency": base, "orders": t.orders,
        "revenue": money(t.revenue), "refunds": money(t.refunds),
        "net_revenue": money(t.net_revenue), "cost": money(t.cost), "margin": money(t.margin),
        "by_channel": [{"channel": name, "orders": f.orders,
                        "net_revenue": money(f.net_revenue), "margin": money(f.margin)}
                       for name, f in sorted(report.by_channel.items(),
                                             key=lambda kv: (-kv[1].net_revenue, kv[0]))],
        "by_day": [{"date": day.isoformat(), "orders": f.orders,
                    "net_revenue": money(f.net_revenue), "margin": money(f.margin)}
                   for day, f in sorted(report.by_day.items())],
        "not_converted": [{"currency": u.currency, "orders": u.orders,
                           "amount": money(u.amount, u.currency)}
                          for u in sorted(report.not_converted.values(),
                                          key=lambda u: u.currency)],
    }


def sales_lines(view: dict[str, Any]) -> list[str]:
    """The report's money in words, one line each (for `/oms report` and the daily report);
    `view` is `sales_report_view`'s shape."""
    cur = view["currency"]
    lines = [
        f"Orders: {view['orders']} · revenue {_n(view['revenue'])} {cur} · refunds "
        f"{_n(view['refunds'])} {cur} · net {_n(view['net_revenue'])} {cur}",
        f"Margin: {_n(view['margin'])} {cur} (net revenue − cost of goods)",
    ]
    if view["by_channel"]:
        lines.append("By channel: " + ", ".join(
            f"{c['channel']} {_n(c['net_revenue'])} ({_orders(c['orders'])})"
            for c in view["by_channel"]))
    for missing in view["not_converted"]:
        lines.append(f"Not converted (no {missing['currency']} rate on their day): "
                     f"{_orders(missing['orders'])}, {_n(missing['amount'])} "
                     f"{missing['currency']}")
    return lines


def _orders(count: int) -> str:
    return f"{count} order" if count == 1 else f"{count} orders"


def _n(amount: str) -> str:
    """`1234.50` → `1,234.50`: the stored digits, with thousands separators."""
    value = Decimal(amount)
    places = max(0, -int(value.as_tuple().exponent))
    return f"{value:,.{places}f}"
