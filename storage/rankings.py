"""Customer lifetime value, top customers and top products in SQL: sums grouped by the
exchange rate each order's day falls under (a CASE over the rate periods), converted once
per group in Python (domain.accounting.value). Revenue and profit are goods net of VAT, as
the journal books them (storage.sales); lifetime value is what the customer paid."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import BigInteger, Float, and_, case, cast, func, literal, select, type_coerce
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.elements import ColumnElement

from domain.accounting.fx import ONE, FxRate
from domain.accounting.periods import local_midnight
from domain.accounting.value import MoneyRow, Worth, worth
from storage import orm
from storage.fx import SqlFxRates
from storage.sales import (
    counted_orders,
    decimal_sum,
    line_cost,
    line_goods,
    line_units,
    net_goods,
    paid_back_per_order,
    refunds_per_order,
)
from storage.types import SCALE

o, ln = orm.orders, orm.order_lines
BASE = -1  # the rate index of the base currency (rate 1)


class RatePeriods:
    """Each stored rate as the UTC span of shop days it is in force, for SQL CASEs."""

    def __init__(self, rates: Sequence[FxRate], base_currency: str, timezone: str) -> None:
        self.base_currency = base_currency
        self.rates = [r.rate for r in rates]
        self.spans: list[tuple[str, datetime, datetime | None]] = []
        for i, r in enumerate(rates):
            following = rates[i + 1] if i + 1 < len(rates) else None
            until = (local_midnight(following.valid_from, timezone)
                     if following is not None and following.currency == r.currency else None)
            self.spans.append((r.currency, local_midnight(r.valid_from, timezone), until))

    def _when(self, i: int) -> ColumnElement[bool]:
        currency, since, until = self.spans[i]
        condition = (o.c.currency == currency) & (o.c.placed_at >= since)
        return condition if until is None else condition & (o.c.placed_at < until)

    def index(self) -> ColumnElement[Any]:
        """The index of the rate an order converts at; BASE for the base currency; NULL
        when it has none."""
        return case((o.c.currency == self.base_currency, BASE),
                    *[(self._when(i), i) for i in range(len(self.spans))], else_=None)

    def approximate(self) -> ColumnElement[Any]:
        """The rate as a float, for ranking in SQL only (never for amounts shown)."""
        return case((o.c.currency == self.base_currency, literal(1.0, Float)),
                    *[(self._when(i), literal(float(self.rates[i]), Float))
                      for i in range(len(self.spans))], else_=None)

    def rate(self, index: int | None) -> Decimal | None:
        """The rate (base currency per unit) an `index()` value stands for; None: no rate."""
        return None if index is None else ONE if index == BASE else self.rates[index]


class SqlRankings:
    def __init__(self, session: AsyncSession, base_currency: str, timezone: str) -> None:
        self.session = session
        self.base_currency = base_currency
        self.timezone = timezone

    async def periods(self) -> RatePeriods:
        """Every stored rate as the span of shop days it is in force."""
        rates = await SqlFxRates(self.session, self.base_currency).all()
        return RatePeriods(rates, self.base_currency, self.timezone)

    async def customers(self, customer_ids: Sequence[int]) -> dict[int, Worth]:
        """The worth of each customer (orders that count, all time), by id: the orders'
        sums from one query, their goods net of VAT (per order and rate) from another."""
        periods = await self.periods()
        per_order = _per_order(periods, customer_ids).subquery()
        keys = (per_order.c.customer_id, per_order.c.currency, per_order.c.rate)
        rows = await self.session.execute(
            select(*keys, func.count(), func.sum(per_order.c.total),
                   func.sum(per_order.c.cost), func.sum(per_order.c.paid_back),
                   func.sum(per_order.c.refunded)).group_by(*keys))
        sums: dict[tuple[int, str, int | None], list[Decimal]] = {}
        counts: dict[tuple[int, str, int | None], int] = {}
        for cid, cur, idx, n, total, cost, paid_back, refunded in rows:
            counts[(cid, cur, idx)] = int(n)
            sums[(cid, cur, idx)] = [decimal_sum(v) for v in (total, cost, paid_back,
                                                                refunded)] + [Decimal(0)]
        for (cid, cur, idx), goods in (await self._goods_of(periods, customer_ids)).items():
            sums[(cid, cur, idx)][4] += goods
        grouped: dict[int, list[MoneyRow]] = defaultdict(list)
        for (cid, cur, idx), (total, cost, paid_back, refunded, goods) in sums.items():
            grouped[cid].append(MoneyRow(
                cur, periods.rate(idx), counts[(cid, cur, idx)], total, goods, cost,
                paid_back, refunded_goods=refunded))
        return {cid: worth(found, self.base_currency) for cid, found in grouped.items()}

    async def _goods_of(self, periods: RatePeriods, customer_ids: Sequence[int]
                        ) -> dict[tuple[int, str, int | None], Decimal]:
        """{(customer, currency, rate index): goods sold net of VAT} of `customer_ids`'
        orders that count; each order's VAT per rate is rounded as the journal rounds it.
        (An order's `total` already leaves out units cancelled before they shipped.)"""
        lines = (select(o.c.customer_id, o.c.currency, periods.index().label("rate"), o.c.id,
                        o.c.prices_include_tax, ln.c.tax_rate, line_goods().label("goods"))
                 .join(o, o.c.id == ln.c.order_id)
                 .where(o.c.customer_id.in_(customer_ids), counted_orders()).subquery())
        keys = (lines.c.customer_id, lines.c.currency, lines.c.rate, lines.c.id,
                lines.c.prices_include_tax, lines.c.tax_rate)
        rows = await self.session.execute(
            select(*keys, func.sum(lines.c.goods)).group_by(*keys))
        found: dict[tuple[int, str, int | None], Decimal] = {}
        for cid, cur, idx, _order, include, rate, goods in rows:
            net = net_goods(goods, rate, cur, include)
            found[(cid, cur, idx)] = found.get((cid, cur, idx), Decimal(0)) + net
        return found

    async def top_customers(self, limit: int, by: str) -> list[tuple[int, Worth]]:
        """The `limit` customers worth most by `by` (`revenue` or `profit`), best first
        (ranked in SQL on an approximate net of VAT, then figured exactly)."""
        periods = await self.periods()
        per_order = _per_order(periods).add_columns(
            periods.approximate().label("approx")).subquery()
        value = per_order.c.approx_goods - per_order.c.refunded
        if by == "profit":
            value = value - per_order.c.cost
        score = func.sum(value * per_order.c.approx)
        ids = list(await self.session.scalars(
            select(per_order.c.customer_id).group_by(per_order.c.customer_id)
            .order_by(score.desc().nulls_last(), per_order.c.customer_id).limit(limit)))
        found = await self.customers(ids)
        return sorted(found.items(), key=lambda kv: (-kv[1].ranking(by), kv[0]))

    async def top_products(self, since: datetime, limit: int, by: str
                           ) -> list[tuple[str, str, Worth]]:
        """`(sku, name, worth)` of the `limit` best products by `by` (`revenue`, `profit`,
        `units`) over orders placed since `since` (aware UTC); revenue is net of VAT;
        refunds are not subtracted."""
        periods = await self.periods()
        rate = periods.index().label("rate")
        lines = (select(ln.c.sku, ln.c.name, line_units().label("quantity"), o.c.id,
                        o.c.currency, rate, o.c.prices_include_tax, ln.c.tax_rate,
                        line_goods().label("goods"), line_cost().label("cost"))
                 .join(o, o.c.id == ln.c.order_id)
                 .where(o.c.placed_at >= since, counted_orders()).subquery())
        keys = (lines.c.sku, lines.c.currency, lines.c.rate, lines.c.prices_include_tax,
                lines.c.tax_rate)
        rows = await self.session.execute(
            select(*keys, func.max(lines.c.name), func.count(lines.c.id.distinct()),
                   func.sum(lines.c.goods), func.sum(lines.c.cost), func.sum(lines.c.quantity))
            .group_by(*keys))
        grouped: dict[str, list[MoneyRow]] = defaultdict(list)
        names: dict[str, str] = {}
        for sku, cur, idx, include, tax_rate, name, n, goods, cost, units in rows:
            names[sku] = name
            net = net_goods(goods, tax_rate, cur, include)
            grouped[sku].append(MoneyRow(cur, periods.rate(idx), int(n), net, net,
                                         decimal_sum(cost), units=int(units)))
        ranked = sorted(((sku, names[sku], worth(found, self.base_currency))
                         for sku, found in grouped.items()),
                        key=lambda item: (-item[2].ranking(by), item[0]))
        return ranked[:limit]


def _approx_net_goods() -> ColumnElement[Any]:
    """A line's goods net of VAT as a float, for ranking in SQL only (never shown)."""
    goods = cast(line_goods(), Float)
    rate = cast(type_coerce(ln.c.tax_rate, BigInteger), Float) / SCALE
    return case((and_(o.c.prices_include_tax, ln.c.tax_rate != 0),
                 goods * 100 / (rate + 100)), else_=goods)


def _per_order(periods: RatePeriods, customer_ids: Sequence[int] | None = None) -> Any:
    """One row per order that counts (of `customer_ids` only, when given): customer,
    currency, rate index, total as placed, cost, paid back for returns, goods refunded net
    of VAT, and an approximate net of its goods (scaled integers of the order's currency;
    the last a float). The filter is repeated inside the goods sums so that one customer's
    value reads only their lines (databases do not push a join into a GROUP BY)."""
    goods_of = (select(ln.c.order_id, func.sum(_approx_net_goods()).label("approx_goods"),
                       func.sum(line_cost()).label("cost"))
                .join(o, o.c.id == ln.c.order_id))
    if customer_ids is not None:
        goods_of = goods_of.where(o.c.customer_id.in_(customer_ids))
    goods = goods_of.group_by(ln.c.order_id).subquery("goods")
    refunds, paid_back = refunds_per_order(), paid_back_per_order()
    query = (select(o.c.id, o.c.customer_id, o.c.currency, periods.index().label("rate"),
                    type_coerce(o.c.total, BigInteger).label("total"),
                    func.coalesce(goods.c.approx_goods, 0).label("approx_goods"),
                    func.coalesce(goods.c.cost, 0).label("cost"),
                    func.coalesce(paid_back.c.paid_back, 0).label("paid_back"),
                    func.coalesce(refunds.c.refunded, 0).label("refunded"))
             .select_from(o.outerjoin(goods, goods.c.order_id == o.c.id)
                          .outerjoin(refunds, refunds.c.order_id == o.c.id)
                          .outerjoin(paid_back, paid_back.c.order_id == o.c.id))
             .where(counted_orders()))
    return query if customer_ids is None else query.where(o.c.customer_id.in_(customer_ids))
