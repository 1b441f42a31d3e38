"""The stock outlook of one product (`forecast SKU`), per warehouse and in total: what is
available and on order, what sold over the last 30 days and the last 7 (the trend), the
average daily demand, how many days the stock lasts, the day it runs out, and how much to
reorder by when. Pure calculation over the figures storage gathers (`ProductFigures`).

- Demand is the 30-day average (`daily_rate`, as the low-stock alert uses); the last 7 days
  only tell the trend: up or down when their daily rate differs from it by more than 20 %.
- Days of cover and the stock-out day count what is available now; units on order do not
  push them out, because a purchase order carries no arrival date.
- Reorder: when available plus on order is at or below the product's reorder point, order
  the reorder quantity (in as many lots as bring it above the point), or, for a product
  without one, what brings it just above the point. Otherwise the day it will get there at
  the current demand is the day to reorder by.
- Sales per warehouse are the units its shipments carry; the total counts order lines, so
  units with no shipment yet (imported history) count there (`unassigned`).
- Days are the shop's (`today` in its time zone); a stock-out "in 3.6 days" is on day 3.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from datetime import date, timedelta
from decimal import Decimal
from typing import Literal

from domain.automation.model import SALES_WINDOW_DAYS, daily_rate, days_of_cover

RECENT_DAYS = 7
TREND_BAND = Decimal("0.2")  # the last week's daily rate within ±20 % of the month's: steady
Trend = Literal["up", "down", "steady"]


@dataclass(frozen=True)
class StockFigures:
    """One product at one warehouse: units available (on hand less reserved), on order
    (open purchase orders to it: draft or approved), and sold there (units in orders
    placed, cancelled ones left out) over the last `SALES_WINDOW_DAYS` and `RECENT_DAYS`."""

    warehouse: str
    available: int
    on_order: int
    sold: int
    sold_recent: int


@dataclass(frozen=True)
class ProductFigures:
    """What `forecast` reads of one product: its reorder settings, each warehouse, and the
    units sold in all (`sold`, `sold_recent`: order lines, whether or not a warehouse ships
    them yet; imported history may have none)."""

    sku: str
    name: str
    reorder_point: int
    reorder_quantity: int
    levels: tuple[StockFigures, ...]
    sold: int = 0
    sold_recent: int = 0

    @property
    def unassigned(self) -> int:
        """Units sold over the window that no warehouse's figures count."""
        return max(self.sold - sum(level.sold for level in self.levels), 0)


@dataclass(frozen=True)
class Outlook:
    """One warehouse's outlook, or all warehouses' (`warehouse` None). `daily` and
    `recent_daily`: units a day over the last 30 and 7 days; `cover_days` and `trend` are
    None without sales, `stock_out` too unless nothing is available (then it is today);
    `reorder`: units to order now (0: none needed);
    `reorder_by`: the day to order by (today when `reorder` > 0; None without sales)."""

    warehouse: str | None
    available: int
    on_order: int
    sold: int
    sold_recent: int
    daily: Decimal
    recent_daily: Decimal
    trend: Trend | None
    cover_days: Decimal | None
    stock_out: date | None
    reorder: int
    reorder_by: date | None


@dataclass(frozen=True)
class Forecast:
    sku: str
    name: str
    reorder_point: int
    reorder_quantity: int
    today: date
    warehouses: tuple[Outlook, ...]
    total: Outlook
    unassigned: int = 0  # units sold in the window that no warehouse's figures count
    window_days: int = SALES_WINDOW_DAYS
    recent_days: int = RECENT_DAYS


def trend(sold: int, sold_recent: int) -> Trend | None:
    """The last `RECENT_DAYS` against the last `SALES_WINDOW_DAYS`, per day."""
    if sold <= 0 and sold_recent <= 0:
        return None
    month = Decimal(sold) / SALES_WINDOW_DAYS
    week = Decimal(sold_recent) / RECENT_DAYS
    if week > month * (1 + TREND_BAND):
        return "up"
    if week < month * (1 - TREND_BAND):
        return "down"
    return "steady"


def reorder_units(position: int, point: int, lot: int) -> int:
    """Units to order when `position` (available + on order) is at or below `point`: whole
    lots of `lot` that bring it above the point; without a lot (0), just above it."""
    if position > point:
        return 0
    short = point - position + 1
    return lot * math.ceil(short / lot) if lot > 0 else short


def outlook(level: StockFigures, point: int, lot: int, today: date) -> Outlook:
    """The outlook of one warehouse's `level`; `point` and `lot`: the product's reorder
    point and quantity; `today`: the shop's day."""
    cover = days_of_cover(level.available, level.sold)
    stock_out = today if level.available <= 0 else (
        None if cover is None else today + timedelta(days=int(cover)))
    position = level.available + level.on_order
    reorder = reorder_units(position, point, lot)
    rate = Decimal(level.sold) / SALES_WINDOW_DAYS
    reorder_by = today if reorder else (
        today + timedelta(days=int((position - point) / rate)) if rate > 0 else None)
    return Outlook(
        warehouse=level.warehouse,
        available=level.available, on_order=level.on_order, sold=level.sold,
        sold_recent=level.sold_recent, daily=daily_rate(level.sold),
        recent_daily=daily_rate(level.sold_recent, RECENT_DAYS),
        trend=trend(level.sold, level.sold_recent), cover_days=cover, stock_out=stock_out,
        reorder=reorder, reorder_by=reorder_by)


def forecast(product: ProductFigures, today: date) -> Forecast:
    """Each warehouse's outlook, and the total: the sums, with the demand and cover of all
    stock together, the sum of the warehouses' reorders and the earliest reorder day."""
    point, lot = product.reorder_point, product.reorder_quantity
    each = tuple(outlook(level, point, lot, today) for level in product.levels)
    days = [o.reorder_by for o in each if o.reorder_by is not None]
    total = replace(outlook(_summed(product), point, lot, today), warehouse=None,
                    reorder=sum(o.reorder for o in each), reorder_by=min(days, default=None))
    return Forecast(product.sku, product.name, point, lot, today, each, total,
                    unassigned=product.unassigned)


def _summed(product: ProductFigures) -> StockFigures:
    """All warehouses as one; sales are the larger of their sum and the product's own."""
    levels = product.levels
    return StockFigures("", sum(lv.available for lv in levels),
                        sum(lv.on_order for lv in levels),
                        max(sum(lv.sold for lv in levels), product.sold),
                        max(sum(lv.sold_recent for lv in levels), product.sold_recent))
