"""`forecast SKU`'s calculation: demand, trend, cover, stock-out day and reorder suggestion,
per warehouse and in total."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from domain.automation.forecast import (
    ProductFigures,
    StockFigures,
    forecast,
    reorder_units,
    trend,
)

TODAY = date(2026, 11, 30)


def product(*levels: StockFigures, point: int = 5, lot: int = 24) -> ProductFigures:
    return ProductFigures("MUG-01", "Espresso mug", point, lot, levels)


def test_demand_cover_and_stock_out_per_warehouse_and_in_total() -> None:
    found = forecast(product(StockFigures("MIL", 10, 0, 30, 14),
                             StockFigures("ROM", 3, 24, 6, 0)), TODAY)

    mil, rom = found.warehouses
    assert (mil.daily, mil.recent_daily, mil.trend) == (Decimal("1.00"), Decimal("2.00"), "up")
    assert mil.cover_days == Decimal("10.0") and mil.stock_out == date(2026, 12, 10)
    assert mil.reorder == 0 and mil.reorder_by == date(2026, 12, 5)  # 10 - 5 at 1 a day
    assert (rom.daily, rom.trend, rom.cover_days) == (Decimal("0.20"), "down", Decimal("15.0"))
    assert rom.reorder == 0  # 3 + 24 on order is above the point
    total = found.total
    assert total.warehouse is None
    assert (total.available, total.on_order, total.sold, total.sold_recent) == (13, 24, 36, 14)
    assert total.daily == Decimal("1.20") and total.cover_days == Decimal("10.8")
    assert total.stock_out == date(2026, 12, 10)  # 10.8 days: on day 10
    assert total.reorder_by == date(2026, 12, 5)  # the earliest warehouse's


def test_at_or_below_the_reorder_point_it_suggests_whole_lots_now() -> None:
    found = forecast(product(StockFigures("MIL", 4, 0, 60, 14),
                             StockFigures("ROM", 2, 0, 0, 0), point=5, lot=24), TODAY)

    mil, rom = found.warehouses
    assert mil.reorder == 24 and mil.reorder_by == TODAY
    assert mil.cover_days == Decimal("2.0") and mil.stock_out == date(2026, 12, 2)
    assert rom.reorder == 24 and rom.cover_days is None and rom.stock_out is None
    assert rom.trend is None and rom.reorder_by == TODAY
    assert found.total.reorder == 48


def test_nothing_available_runs_out_today_even_without_sales() -> None:
    found = forecast(product(StockFigures("MIL", 0, 0, 0, 0), point=0, lot=10), TODAY)

    assert found.warehouses[0].stock_out == TODAY and found.warehouses[0].reorder == 10


def test_without_sales_there_is_no_day_to_reorder_by() -> None:
    found = forecast(product(StockFigures("MIL", 40, 0, 0, 0)), TODAY)

    only = found.warehouses[0]
    assert (only.daily, only.cover_days, only.stock_out, only.reorder, only.reorder_by) == (
        Decimal("0.00"), None, None, 0, None)


@pytest.mark.parametrize(("position", "point", "lot", "units"), [
    (6, 5, 24, 0), (5, 5, 24, 24), (-30, 5, 24, 48), (5, 5, 0, 1), (-3, 5, 0, 9)])
def test_reorder_units(position: int, point: int, lot: int, units: int) -> None:
    assert reorder_units(position, point, lot) == units


@pytest.mark.parametrize(("sold", "recent", "expected"), [
    (0, 0, None), (30, 7, "steady"), (30, 9, "up"), (30, 5, "down"), (0, 1, "up"),
    (30, 0, "down")])
def test_trend_compares_the_last_week_with_the_month(sold: int, recent: int,
                                                     expected: str | None) -> None:
    assert trend(sold, recent) == expected


def test_no_warehouse_is_an_empty_outlook() -> None:
    found = forecast(product(), TODAY)

    assert found.warehouses == () and found.total.available == 0
    assert found.total.reorder == 0 and found.total.stock_out == TODAY


@pytest.mark.parametrize(("channel", "locale", "expected"), [
    ("slack", "en", "*MIL*: 4 available, 0 on order"),
    ("slack", "de", "*reorder 24 now*".replace("reorder 24 now", "jetzt 24 nachbestellen")),
    ("console", "it", "  MIL: 4 disponibili, 0 in ordine"),
])
def test_the_reply_reads_in_each_channel_and_language(channel: str, locale: str,
                                                      expected: str) -> None:
    from channels.staff_render import StaffChannel, render_template, staff_environment

    found = forecast(product(StockFigures("MIL", 4, 0, 60, 14)), TODAY)
    shown: StaffChannel = "slack" if channel == "slack" else "console"

    text = render_template(staff_environment(locale), shown, "forecast", {"forecast": found})

    assert expected in text
    assert "%(" not in text and "{{" not in text
