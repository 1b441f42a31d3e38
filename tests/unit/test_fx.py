"""Exchange rates: parsing, the rate in force on a day, conversion, and the set-rate handler."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.accounting.commands import SetFxRate
from domain.accounting.fx import FxRate, parse_rate, rate_in_force, rate_rows, to_base
from domain.accounting.periods import report_window
from domain.accounting.sales import sales_lines, sales_report_view
from domain.clock import FixedClock
from domain.errors import InvalidInput, ValidationError
from domain.orders import commands as oc
from tests.catalog import order_command, small_shop
from tests.fakes import FakeUnitOfWork, fake_bus

RATES = [FxRate("USD", Decimal("0.90"), date(2026, 11, 1)),
         FxRate("USD", Decimal("0.95"), date(2026, 11, 20)),
         FxRate("HUF", Decimal("0.0025"), date(2026, 11, 10))]


@pytest.mark.parametrize(("text", "rate"), [
    ("0.92", Decimal("0.92")), ("1.0800", Decimal("1.08")), (" 100 ", Decimal(100)),
    ("0.0000000001", Decimal("1E-10")), (3, Decimal(3)), ("99999999.9999999999",
                                                           Decimal("99999999.9999999999")),
])
def test_parse_rate_keeps_the_exact_decimal(text: object, rate: Decimal) -> None:
    assert parse_rate(text) == rate
    assert "E" not in str(parse_rate("100"))


@pytest.mark.parametrize(("value", "reason"), [
    (0.92, "decimal string"), (True, "decimal string"), ("0", "above 0"), ("-1", "above 0"),
    ("NaN", "decimal number"), ("Infinity", "decimal number"), ("abc", "decimal number"),
    ("100000000", "below 100,000,000"), ("0.00000000001", "at most 10 decimal places"),
])
def test_parse_rate_refuses_with_the_field_named(value: object, reason: str) -> None:
    with pytest.raises(ValidationError) as caught:
        parse_rate(value)
    assert caught.value.field == "rate" and reason in caught.value.reason


def test_the_rate_in_force_is_the_newest_that_started_on_or_before_the_day() -> None:
    assert rate_in_force(RATES, "USD", date(2026, 10, 31), "EUR") is None
    assert rate_in_force(RATES, "USD", date(2026, 11, 1), "EUR") == Decimal("0.90")
    assert rate_in_force(RATES, "USD", date(2026, 11, 19), "EUR") == Decimal("0.90")
    assert rate_in_force(RATES, "USD", date(2026, 11, 20), "EUR") == Decimal("0.95")
    assert rate_in_force(RATES, "GBP", date(2026, 11, 20), "EUR") is None
    assert rate_in_force(RATES, "EUR", date(1999, 1, 1), "EUR") == Decimal(1)


def test_to_base_rounds_half_even_to_the_base_currency_digits() -> None:
    assert to_base(Decimal("999.99"), Decimal("0.0025"), "EUR") == Decimal("2.50")
    assert to_base(Decimal("10.05"), Decimal("0.5"), "EUR") == Decimal("5.02")  # 5.025 → even
    assert to_base(Decimal("12.34"), Decimal("161.5"), "JPY") == Decimal("1993")
    assert to_base(Decimal("1.00"), None, "EUR") is None


@given(st.decimals(min_value=0, max_value=Decimal("999999999.99"), places=2),
       st.decimals(min_value=Decimal("0.0000000001"), max_value=Decimal("99999999"),
                   places=10))
def test_to_base_is_within_half_a_minor_unit_of_the_exact_product(
        amount: Decimal, rate: Decimal) -> None:
    converted = to_base(amount, rate, "EUR")
    assert converted is not None
    assert abs(converted - amount * rate) <= Decimal("0.005")
    assert converted.as_tuple().exponent == -2


def test_rate_rows_mark_the_one_in_force_today() -> None:
    rows = rate_rows(RATES, date(2026, 11, 15))
    assert rows == [
        {"currency": "HUF", "rate": "0.0025", "date": "2026-11-10", "in_force": True},
        {"currency": "USD", "rate": "0.95", "date": "2026-11-20", "in_force": False},
        {"currency": "USD", "rate": "0.9", "date": "2026-11-01", "in_force": True},
    ]


async def test_set_fx_rate_defaults_to_today_in_the_shop_time_zone() -> None:
    # 23:30 UTC on 30 Nov is already 1 Dec in Rome.
    bus, store = fake_bus(FixedClock(datetime(2026, 11, 30, 23, 30, tzinfo=UTC)))
    first = await bus.handle(SetFxRate("usd", "0.92", timezone="Europe/Rome"))
    again = await bus.handle(SetFxRate("USD", "0.93", timezone="Europe/Rome"))
    assert (first.currency, first.valid_from, first.previous, first.created) == (
        "USD", date(2026, 12, 1), None, True)
    assert (again.rate, again.previous, again.created) == (Decimal("0.93"), Decimal("0.92"),
                                                            False)
    assert list(store.fx_rates.values()) == [FxRate("USD", Decimal("0.93"), date(2026, 12, 1))]
    assert [a.action for a in store.audit] == ["fx.set", "fx.set"]


async def test_set_fx_rate_names_every_bad_field_and_refuses_the_base_currency() -> None:
    bus, store = fake_bus(FixedClock(datetime(2026, 11, 30, tzinfo=UTC)))
    with pytest.raises(InvalidInput) as caught:
        await bus.handle(SetFxRate("XYZ", "-1"))
    assert [field for field, _ in caught.value.problems] == ["currency", "rate"]
    with pytest.raises(InvalidInput, match="EUR is the base currency"):
        await bus.handle(SetFxRate("EUR", "1.1"))
    assert not store.fx_rates and store.commits == 0


async def test_the_report_converts_and_names_what_has_no_rate() -> None:
    bus, store = fake_bus(FixedClock(datetime(2026, 11, 25, 8, tzinfo=UTC)))
    await small_shop(bus)
    await bus.handle(SetFxRate("USD", "0.5", date(2026, 11, 1)))
    for external_id, currency in (("E-1", "EUR"), ("U-1", "USD"), ("G-1", "GBP")):
        await bus.handle(replace(order_command(external_id, placed_at=datetime(
            2026, 11, 24, 9, tzinfo=UTC)), currency=currency,
            lines=(oc.LineRequest("MUG-01", 2, Decimal("10.00"), Decimal("4.00")),)))
    window = report_window("2026-11-24..2026-11-24", datetime.now(UTC), "UTC")
    async with FakeUnitOfWork(store) as uow:
        view = sales_report_view(await uow.sales.report(window))
    lines = sales_lines(view)
    assert lines[0] == "Orders: 3 · revenue 30.00 EUR · refunds 0.00 EUR · net 30.00 EUR"
    assert lines[1] == "Margin: 18.00 EUR (net revenue − cost of goods)"  # 30 − (8 + 4)
    assert lines[-1] == "Not converted (no GBP rate on their day): 1 order, 20.00 GBP"
    assert view["by_day"] == [
        {"date": "2026-11-24", "orders": 3, "net_revenue": "30.00", "margin": "18.00"}]
