"""Numbers, money, dates and names as a person reads them, formatted by Babel (CLDR) in the
reader's locale. One style per kind of message: e-mails write days in full ("25 novembre
2026"), chats and staff replies in the medium form ("25 nov 2026", "25.11.2026").

Money keeps the ISO 4217 minor digits it is stored with (HUF 999.99 is never "HUF 1,000",
whatever CLDR's cash digits say); a Decimal or decimal string, never a float.
"""

from __future__ import annotations

import copy
import functools
from datetime import UTC, date, datetime, time
from decimal import Decimal, InvalidOperation
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from babel import Locale
from babel.dates import format_date as babel_format_date
from babel.dates import format_time as babel_format_time
from babel.dates import get_datetime_format
from babel.numbers import NumberPattern, parse_pattern

from domain.money import minor_units

Width = Literal["full", "long", "medium", "short"]
WIDTHS: dict[str, Width] = {"full": "full", "long": "long", "medium": "medium",
                            "short": "short"}
# The date style of each area of templates (see channels.rendering.render).
DATE_STYLES: dict[str, Width] = {"email": "long", "telegram": "medium", "slack": "medium",
                                 "console": "medium", "documents": "medium"}

# CLDR writes "12,50 €" for Italian; the shop uses "€ 12,50", the form its Italian customers
# know from receipts and shop fronts. Other locales keep the CLDR pattern.
_CURRENCY_PATTERNS = {"it": "¤ #,##0.00"}


def to_decimal(amount: object) -> Decimal:
    """Money arrives as Decimal or decimal string; floats are refused (they are not money)."""
    if isinstance(amount, Decimal):
        return amount
    if isinstance(amount, int) and not isinstance(amount, bool):
        return Decimal(amount)
    if isinstance(amount, str):
        try:
            return Decimal(amount.strip())
        except InvalidOperation:
            pass
    raise ValueError(f"not a money amount: {amount!r}")


def to_datetime(value: object) -> datetime:
    """An aware datetime from a datetime or ISO-8601 string; naive values are taken as UTC."""
    if isinstance(value, str):
        value = datetime.fromisoformat(value.strip())
    if not isinstance(value, datetime):
        raise ValueError(f"not a datetime: {value!r}")
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


def _to_date_or_datetime(value: object) -> date | datetime:
    if isinstance(value, date):  # datetime is a date too
        return value
    if isinstance(value, str):
        text = value.strip()
        if len(text) == 10:  # "YYYY-MM-DD": a calendar day, no time zone to convert
            return date.fromisoformat(text)
        return to_datetime(text)
    raise ValueError(f"not a date: {value!r}")


def _zone(tz: object) -> ZoneInfo:
    # Settings validate the zone at start-up; here a bad one must not stop a customer's mail.
    if isinstance(tz, ZoneInfo):
        return tz
    try:
        return ZoneInfo(str(tz)) if tz else ZoneInfo("UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


# Babel's parsed locales and patterns are read-only once built: each is built once per
# process. Formatted texts are kept too (prices, totals and days repeat across messages);
# the keys are the exact inputs, so a cached text is the one Babel would write again.
_TEXTS = 8192  # entries per kind of text kept (a few hundred kB)


@functools.cache
def _locale(code: str) -> Locale:
    return Locale.parse(code)


@functools.cache
def _currency_pattern(locale: str, digits: int) -> NumberPattern:
    custom = _CURRENCY_PATTERNS.get(locale)
    pattern = copy.copy(parse_pattern(custom) if custom else
                        _locale(locale).currency_formats["standard"])
    pattern.frac_prec = (digits, digits)
    return pattern


@functools.cache
def _decimal_pattern(locale: str, digits: int) -> NumberPattern:
    pattern: NumberPattern = copy.copy(_locale(locale).decimal_formats[None])
    pattern.frac_prec = (digits, digits)
    return pattern


@functools.lru_cache(maxsize=_TEXTS)
def _money_text(amount: str, code: str, locale: str) -> str:
    text: str = _currency_pattern(locale, minor_units(code)).apply(
        Decimal(amount), _locale(locale), currency=code, currency_digits=False)
    return text


@functools.lru_cache(maxsize=_TEXTS)
def _number_text(amount: str, code: str, locale: str) -> str:
    text: str = _decimal_pattern(locale, minor_units(code)).apply(Decimal(amount),
                                                                 _locale(locale))
    return text


def format_money(amount: object, currency: str, locale: str) -> str:
    """`amount` of `currency` for a reader of `locale` (a shipped locale code such as "it"):
    en "€12.50", it "€ 12,50", de "12,50 €"; always the ISO 4217 minor digits (JPY 0,
    EUR 2, KWD 3), so HUF 999.99 reads "HUF 999.99". Raises ValueError for a float."""
    return _money_text(str(to_decimal(amount)), currency.upper(), locale)


def format_amount(amount: object, currency: str, locale: str, *, code: bool = True) -> str:
    """`amount` with the ISO code after it, for reports and accounts, where several
    currencies meet: en "1,234.50 EUR", it "1.234,50 EUR", de "1.234,50 EUR"; the ISO 4217
    minor digits, as `format_money`. `code=False`: the number alone."""
    iso = currency.upper()
    text = _number_text(str(to_decimal(amount)), iso, locale)
    return f"{text} {iso}" if code else text


def format_day(value: object, locale: str, tz: object = None, fmt: str = "medium") -> str:
    """The calendar day of ``value`` as seen in the shop's time zone; `fmt` is a width
    (short, medium, long, full) or a CLDR pattern ("EEE dd MMM y")."""
    day = _to_date_or_datetime(value)
    if isinstance(day, datetime):
        day = to_datetime(day).astimezone(_zone(tz)).date()
    return _day_text(day, WIDTHS.get(fmt, fmt), locale)


@functools.lru_cache(maxsize=_TEXTS)
def _day_text(day: date, fmt: str, locale: str) -> str:
    return babel_format_date(day, fmt, locale=_locale(locale))


def format_moment(value: object, locale: str, tz: object = None, fmt: str = "medium") -> str:
    """Date and time (hours and minutes) in the shop's time zone; a bare date stays a date."""
    moment = _to_date_or_datetime(value)
    width = WIDTHS.get(fmt, "medium")
    if not isinstance(moment, datetime):
        return _day_text(moment, width, locale)
    local = to_datetime(moment).astimezone(_zone(tz))
    # Babel's own datetime format shows seconds; people want the day and hh:mm.
    pattern = _datetime_pattern(width, locale)
    day_text = _day_text(local.date(), width, locale)
    time_text = _clock_text(local.hour, local.minute, locale)
    return pattern.replace("{0}", time_text).replace("{1}", day_text)


@functools.cache
def _datetime_pattern(width: str, locale: str) -> str:
    return str(get_datetime_format(width, locale=_locale(locale))).replace("'", "")  # type: ignore[arg-type]


@functools.cache
def _clock_text(hour: int, minute: int, locale: str) -> str:
    return babel_format_time(time(hour, minute), "short", locale=_locale(locale))


def format_clock(value: object, locale: str, tz: object = None) -> str:
    """Hours and minutes of ``value`` in the shop's time zone ("11:00 AM", "11:00")."""
    local = to_datetime(value).astimezone(_zone(tz))
    return _clock_text(local.hour, local.minute, locale)


def country_name(code: str, locale: str) -> str:
    territories = _locale(locale).territories
    return str(territories.get(code.upper(), code))
