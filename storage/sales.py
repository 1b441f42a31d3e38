"""The sales report in SQL: GROUP BY currency, channel and shop day in the database, then
each group converted at its day's rate (domain.accounting.sales)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import BigInteger, String, and_, case, cast, func, select, type_coerce
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.sql.selectable import Subquery

from domain.accounting.fx import rate_in_force
from domain.accounting.periods import ReportWindow
from domain.accounting.sales import SalesReport, SalesRow, build_sales_report
from domain.orders import model as om
from storage import orm
from storage.fx import SqlFxRates
from storage.types import amount_from_db

o, ln = orm.orders, orm.order_lines


def refunds_per_order() -> Subquery:
    """The one place refunds are read: `(order_id, refunded)`, the money refunded per order
    for returned goods, as a scaled integer (storage.types.Amount) in the order's currency.
    Refunds of cancelled units are not in it: those units are not counted as sold."""
    r = orm.returns
    return (select(r.c.order_id.label("order_id"),
                   func.sum(type_coerce(r.c.refund_amount, BigInteger)).label("refunded"))
            .where(r.c.refund_amount.is_not(None)).group_by(r.c.order_id)
            .subquery("refunds"))


def counted_orders() -> ColumnElement[bool]:
    """Orders that count as sales: neither cancelled nor a replacement (exchanges and goods
    sent again are settled by the order they replace)."""
    return and_(o.c.status != om.CANCELLED,
                ~cast(o.c.flags, String).like('%"replacement"%'))


def line_units() -> ColumnElement[Any]:
    """A line's units sold: ordered less cancelled (a partial cancellation sold nothing)."""
    return ln.c.quantity - ln.c.cancelled


def line_goods() -> ColumnElement[Any]:
    """A line's goods (units sold × unit price; no shipping), scaled integer, order
    currency."""
    return line_units() * type_coerce(ln.c.unit_price, BigInteger)


def line_cancelled() -> ColumnElement[Any]:
    """What a line's cancelled units were charged at (cancelled × unit price), scaled."""
    return ln.c.cancelled * type_coerce(ln.c.unit_price, BigInteger)


def line_cost() -> ColumnElement[Any]:
    """A line's cost of goods (units sold × unit cost; none known counts 0), scaled."""
    return line_units() * func.coalesce(type_coerce(ln.c.unit_cost, BigInteger), 0)


def day_index(column: Any, midnights: Sequence[datetime]) -> ColumnElement[Any]:
    """The index of the shop day an instant falls on (`midnights`: where each day begins,
    UTC, then the end of the last day); NULL outside them."""
    return case(*[(column < end, i) for i, end in enumerate(midnights[1:])], else_=None)


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
        """Orders, goods, cost and refunds per (currency, channel, shop day) of `window`."""
        midnights = window.midnights()
        days = window.days
        placed = and_(o.c.placed_at >= midnights[0], o.c.placed_at < midnights[-1],
                      counted_orders())
        day = day_index(o.c.placed_at, midnights).label("day")
        lines = (select(o.c.id, o.c.currency, o.c.channel, day, line_goods().label("goods"),
                        line_cost().label("cost"))
                 .join(ln, ln.c.order_id == o.c.id).where(placed).subquery())
        sold = await self.session.execute(
            select(lines.c.currency, lines.c.channel, lines.c.day,
                   func.count(lines.c.id.distinct()), func.sum(lines.c.goods),
                   func.sum(lines.c.cost))
            .group_by(lines.c.currency, lines.c.channel, lines.c.day))
        refunds = refunds_per_order()
        refunded = (select(o.c.currency, o.c.channel, day, refunds.c.refunded)
                    .join(refunds, refunds.c.order_id == o.c.id).where(placed).subquery())
        back = await self.session.execute(
            select(refunded.c.currency, refunded.c.channel, refunded.c.day,
                   func.sum(refunded.c.refunded))
            .group_by(refunded.c.currency, refunded.c.channel, refunded.c.day))
        found: dict[tuple[str, str, date], SalesRow] = {}
        for cur, channel, i, count, goods, cost in sold:
            found[(cur, channel, days[i])] = SalesRow(cur, channel, days[i], int(count),
                                                      decimal_sum(goods), decimal_sum(cost))
        for cur, channel, i, amount in back:
            row = found.get((cur, channel, days[i]), SalesRow(cur, channel, days[i]))
            found[(cur, channel, days[i])] = SalesRow(
                cur, channel, days[i], row.orders, row.revenue, row.cost, decimal_sum(amount))
        return list(found.values())


def decimal_sum(raw: Any) -> Decimal:
    """A SUM of scaled integers (PostgreSQL answers numeric, SQLite int) as decimal units."""
    value = amount_from_db(None if raw is None else int(raw))
    return Decimal(0) if value is None else value
