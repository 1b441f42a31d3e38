"""The sales report in SQL: goods grouped by currency, channel, shop day, order and VAT rate
in the database; each order's goods made net of VAT (rounded per order and rate, as the
journal's `sales` account books them) and each group converted at its day's rate
(domain.accounting.sales)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import BigInteger, String, and_, case, cast, func, select, type_coerce
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.sql.selectable import Subquery

from domain.accounting.fx import rate_in_force
from domain.accounting.journal import REFUNDS
from domain.accounting.periods import ReportWindow
from domain.accounting.sales import SalesReport, SalesRow, build_sales_report
from domain.accounting.tax import net_of_tax
from domain.orders import model as om
from storage import orm
from storage.fx import SqlFxRates
from storage.orm_money import journal_lines
from storage.types import amount_from_db

o, ln = orm.orders, orm.order_lines


def refunds_per_order() -> Subquery:
    """The goods refunded per order as the journal books them: `(order_id, refunded)`, the
    `refunds` account's debits (returned goods net of VAT), a scaled integer
    (storage.types.Amount) in the order's currency. Shipping and VAT paid back are not
    revenue, so not in it; nor is what was paid back beyond goods and shipping
    (`extra_refunds`), nor refunds of cancelled units (never sold, booked against
    receivables)."""
    j = journal_lines
    return (select(j.c.order_id.label("order_id"),
                   func.sum(type_coerce(j.c.debit, BigInteger)
                            - type_coerce(j.c.credit, BigInteger)).label("refunded"))
            .where(j.c.account == REFUNDS, j.c.order_id.is_not(None))
            .group_by(j.c.order_id).subquery("refunds"))


def paid_back_per_order() -> Subquery:
    """What was paid back per order for returns, VAT and shipping included: `(order_id,
    paid_back)`, scaled integer in the order's currency (lifetime value is what a customer
    paid, less this). Refunds of cancelled units are not in it: the order's total already
    leaves those units out (a partial cancellation recomputes it)."""
    r = orm.returns
    return (select(r.c.order_id.label("order_id"),
                   func.sum(type_coerce(r.c.refund_amount, BigInteger)).label("paid_back"))
            .where(r.c.refund_amount.is_not(None)).group_by(r.c.order_id)
            .subquery("paid_back"))


def counted_orders() -> ColumnElement[bool]:
    """Orders that count as sales: neither cancelled nor a replacement (exchanges and goods
    sent again are settled by the order they replace)."""
    return and_(o.c.status != om.CANCELLED,
                ~cast(o.c.flags, String).like('%"replacement"%'))


def line_units() -> ColumnElement[Any]:
    """A line's units sold: ordered less cancelled (a partial cancellation sold nothing)."""
    return ln.c.quantity - ln.c.cancelled


def line_goods() -> ColumnElement[Any]:
    """A line's goods as priced (units sold × unit price; VAT included when the order's
    prices include it; no shipping), scaled integer, order currency. `net_goods` makes it
    net of VAT."""
    return line_units() * type_coerce(ln.c.unit_price, BigInteger)


def line_cost() -> ColumnElement[Any]:
    """A line's cost of goods (units sold × unit cost; none known counts 0), scaled."""
    return line_units() * func.coalesce(type_coerce(ln.c.unit_cost, BigInteger), 0)


def net_goods(raw: Any, rate: Decimal | None, currency: str, prices_include_tax: bool
              ) -> Decimal:
    """A SUM of `line_goods` of one order (or product) and VAT `rate`, net of VAT: decimal
    units of `currency`, the VAT rounded the way the journal rounds it."""
    return net_of_tax(decimal_sum(raw), rate or Decimal(0), currency, prices_include_tax)


def day_index(column: Any, midnights: Sequence[datetime]) -> ColumnElement[Any]:
    """The index of the shop day an instant falls on (`midnights`: where each day begins,
    UTC, then the end of the last day); NULL outside them."""
    return case(*[(column < end, i) for i, end in enumerate(midnights[1:])], else_=None)


@dataclass
class _Group:
    """Sales of one (currency, channel, day) as they are read: decimal units."""

    orders: set[int] = field(default_factory=set)
    revenue: Decimal = Decimal(0)
    cost: Decimal = Decimal(0)
    refunds: Decimal = Decimal(0)


class SqlSales:
    """Reports over a session (the read model's, or the unit of work's for scheduled jobs)."""

    def __init__(self, session: AsyncSession, base_currency: str) -> None:
        self.session = session
        self.base_currency = base_currency

    async def report(self, window: ReportWindow) -> SalesReport:
        """The sales report of `window` (CONTRACT §9), in the base currency."""
        rows = await self.rows(window)
        rates = await SqlFxRates(self.session, self.base_currency).all()
        base = self.base_currency
        return build_sales_report(window, rows,
                                  lambda cur, day: rate_in_force(rates, cur, day, base), base)

    async def rows(self, window: ReportWindow) -> list[SalesRow]:
        """Orders, goods net of VAT, cost and goods refunded (net of VAT) per (currency,
        channel, shop day) of `window`."""
        midnights = window.midnights()
        days = window.days
        placed = and_(o.c.placed_at >= midnights[0], o.c.placed_at < midnights[-1],
                      counted_orders())
        day = day_index(o.c.placed_at, midnights).label("day")
        lines = (select(o.c.id, o.c.currency, o.c.channel, day, o.c.prices_include_tax,
                        ln.c.tax_rate, line_goods().label("goods"), line_cost().label("cost"))
                 .join(ln, ln.c.order_id == o.c.id).where(placed).subquery())
        keys = (lines.c.currency, lines.c.channel, lines.c.day, lines.c.id,
                lines.c.prices_include_tax, lines.c.tax_rate)
        sold = await self.session.execute(
            select(*keys, func.sum(lines.c.goods), func.sum(lines.c.cost)).group_by(*keys))
        refunds = refunds_per_order()
        back = await self.session.execute(
            select(o.c.currency, o.c.channel, day, refunds.c.refunded)
            .join(refunds, refunds.c.order_id == o.c.id).where(placed))
        found: dict[tuple[str, str, date], _Group] = {}
        for cur, channel, i, oid, include, rate, goods, cost in sold:
            group = found.setdefault((cur, channel, days[i]), _Group())
            group.orders.add(oid)
            group.revenue += net_goods(goods, rate, cur, include)
            group.cost += decimal_sum(cost)
        for cur, channel, i, amount in back:
            found.setdefault((cur, channel, days[i]), _Group()).refunds += decimal_sum(amount)
        return [SalesRow(cur, channel, day, len(g.orders), g.revenue, g.cost, g.refunds)
                for (cur, channel, day), g in found.items()]


def decimal_sum(raw: Any) -> Decimal:
    """A SUM of scaled integers (PostgreSQL answers numeric, SQLite int) as decimal units."""
    value = amount_from_db(None if raw is None else int(raw))
    return Decimal(0) if value is None else value
