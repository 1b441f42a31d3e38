"""Exchange rates into the base currency (`OMSBOT_BASE_CURRENCY`), and conversion with them.

A rate reads "1 CURRENCY = rate BASE" and is in force from its `valid_from` day (a calendar
day in `OMSBOT_TIMEZONE`) until the next rate of the same currency. The base currency's rate
is always exactly 1. Amounts are `Decimal` in decimal units (12.50, not 1250 cents).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from domain.errors import ValidationError
from domain.input_policy import parse_decimal
from domain.money import check_currency, plain, quantize
from domain.texts import N_, Text

RATE_DECIMALS = 10  # at most this many decimal places (1 IDR ≈ 0.0000566 EUR keeps 6 digits)
MAX_RATE = Decimal(100_000_000)  # a rate is below this (1 KWD ≈ 290,000 LBP fits easily)
ONE = Decimal(1)


@dataclass(frozen=True, slots=True)
class FxRate:
    """1 `currency` = `rate` base currency, from `valid_from` (a day in the shop's time
    zone) until the next rate of that currency."""

    currency: str
    rate: Decimal
    valid_from: date


def parse_rate(value: object, field: str = "rate") -> Decimal:
    """A rate from a decimal string, int or Decimal (floats are refused: they are not exact).

    Positive, below `MAX_RATE`, at most `RATE_DECIMALS` decimal places; otherwise
    `ValidationError` naming `field`.
    """
    if isinstance(value, (bool, float)):
        raise ValidationError(field, Text(N_('must be a decimal string such as "1.0842"')))
    try:  # written plainly, as the input policy reads every decimal (not `1_000`, `1E3`)
        rate = parse_decimal(value.strip() if isinstance(value, str) else value, field)
    except ValidationError:
        raise ValidationError(field, Text(N_("must be a decimal number such as 1.0842"))) from None
    if rate <= 0:
        raise ValidationError(field, Text(N_("must be a number above 0")))
    if rate >= MAX_RATE:
        raise ValidationError(field, Text.of(N_("must be below %(max)s"), max=f"{MAX_RATE:,}"))
    exponent = rate.normalize().as_tuple().exponent
    if isinstance(exponent, int) and -exponent > RATE_DECIMALS:
        raise ValidationError(field, Text.of(N_("must have at most %(places)s decimal places"),
                                             places=RATE_DECIMALS))
    return plain(rate)




def check_rate_currency(currency: str, base_currency: str, field: str = "currency") -> str:
    """An ISO 4217 code other than the base currency (whose rate is always 1), upper-cased."""
    code = check_currency(currency.strip().upper(), field)
    if code == base_currency:
        raise ValidationError(field, Text.of(
            N_("%(currency)s is the base currency; its rate is always 1"), currency=code))
    return code


def rate_in_force(rates: Iterable[FxRate], currency: str, day: date,
                  base_currency: str) -> Decimal | None:
    """The rate of `currency` on `day` (a day in the shop's time zone): the newest rate with
    `valid_from <= day`; `Decimal(1)` for the base currency; None when there is none."""
    if currency == base_currency:
        return ONE
    found: FxRate | None = None
    for candidate in rates:
        if candidate.currency != currency or candidate.valid_from > day:
            continue
        if found is None or candidate.valid_from > found.valid_from:
            found = candidate
    return None if found is None else found.rate


def to_base(amount: Decimal, rate: Decimal | None, base_currency: str) -> Decimal | None:
    """`amount` (decimal units of its own currency) times `rate` (base per unit), rounded
    half-even to the ISO 4217 digits of `base_currency`; None when there is no rate."""
    if rate is None:
        return None
    return quantize(amount * rate, base_currency)


def rate_rows(rates: Iterable[FxRate], today: date) -> list[dict[str, Any]]:
    """Rates for people and the API: `[{currency, rate, date, in_force}]`, by currency, newest
    first; `rate` is a decimal string (base currency per 1 unit), `date` the ISO day it
    starts (shop time zone), `in_force` true for the one rate per currency that applies on
    `today` (a day in the shop's time zone)."""
    rows: list[dict[str, Any]] = []
    seen: set[str] = set()
    for r in sorted(rates, key=lambda r: (r.currency, -r.valid_from.toordinal())):
        applies = r.valid_from <= today and r.currency not in seen
        if applies:
            seen.add(r.currency)
        rows.append({"currency": r.currency, "rate": str(plain(r.rate)),
                     "date": r.valid_from.isoformat(), "in_force": applies})
    return rows
