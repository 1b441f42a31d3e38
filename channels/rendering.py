"""The Jinja environment and Babel-backed formatting shared by the customer channels.

Templates live in the ``templates`` package as ``<area>/<locale>/<name>`` (for example
``email/it/order_shipped.txt.j2``); ``render`` picks the locale and falls back to English.
Filters read ``locale`` and ``tz`` from the render context, so one template serves every
customer: ``money(amount, currency)``, ``date(value[, format])``, ``datetime(value[, format])``,
``time(value)``, ``status(value)`` (order, shipment and return statuses in words) and
``country(code)``.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from datetime import UTC, date, datetime
from decimal import Decimal, InvalidOperation
from importlib import resources
from typing import Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from babel import Locale
from babel.dates import format_date as babel_format_date
from babel.dates import format_time as babel_format_time
from babel.dates import get_datetime_format
from babel.numbers import format_currency
from jinja2 import (
    BaseLoader,
    Environment,
    FileSystemLoader,
    PackageLoader,
    StrictUndefined,
    pass_context,
)
from jinja2.runtime import Context

SUPPORTED_LOCALES = ("en", "it")
DEFAULT_LOCALE = "en"

# CLDR writes "12,50 €" for Italian; the shop uses "€ 12,50", the form its Italian customers
# know from receipts and shop fronts. Other locales keep the CLDR pattern.
_CURRENCY_PATTERNS = {"it": "¤ #,##0.00"}

_WIDTHS: dict[str, Literal["full", "long", "medium", "short"]] = {
    "full": "full",
    "long": "long",
    "medium": "medium",
    "short": "short",
}

_STATUS_LABELS: dict[str, dict[str, str]] = {
    "it": {
        # orders
        "pending_payment": "in attesa di pagamento",
        "confirmed": "confermato",
        "picking": "in preparazione",
        "packed": "imballato",
        "shipped": "spedito",
        "partially_shipped": "spedito in parte",
        "delivered": "consegnato",
        "completed": "completato",
        "cancelled": "annullato",
        "on_hold": "in sospeso",
        "backordered": "in riassortimento",
        # shipments
        "pending": "in attesa",
        "in_transit": "in viaggio",
        "out_for_delivery": "in consegna",
        "exception": "problema di consegna",
        # returns
        "requested": "richiesto",
        "approved": "approvato",
        "rejected": "rifiutato",
        "received": "ricevuto",
        "refunded": "rimborsato",
        "closed": "chiuso",
    },
    "en": {
        "pending_payment": "awaiting payment",
        "partially_shipped": "partly shipped",
        "backordered": "back-ordered",
        "exception": "delivery problem",
    },
}


def resolve_locale(locale: str | None) -> str:
    """Map "it", "it_IT", "it-IT" to a supported locale; anything else to English."""
    if not locale:
        return DEFAULT_LOCALE
    language = locale.replace("-", "_").split("_", 1)[0].lower()
    return language if language in SUPPORTED_LOCALES else DEFAULT_LOCALE


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


def format_money(amount: object, currency: str, locale: str) -> str:
    """Amount with currency for people: en "€12.50", it "€ 12,50"; JPY has no decimals."""
    loc = resolve_locale(locale)
    return format_currency(
        to_decimal(amount), currency.upper(), format=_CURRENCY_PATTERNS.get(loc), locale=loc
    )


def format_day(value: object, locale: str, tz: object = None, fmt: str = "medium") -> str:
    """The calendar day of ``value`` as seen in the shop's time zone."""
    day = _to_date_or_datetime(value)
    if isinstance(day, datetime):
        day = to_datetime(day).astimezone(_zone(tz)).date()
    return babel_format_date(day, fmt, locale=resolve_locale(locale))


def format_moment(value: object, locale: str, tz: object = None, fmt: str = "medium") -> str:
    """Date and time (hours and minutes) in the shop's time zone; a bare date stays a date."""
    loc = resolve_locale(locale)
    moment = _to_date_or_datetime(value)
    if not isinstance(moment, datetime):
        return babel_format_date(moment, fmt, locale=loc)
    local = to_datetime(moment).astimezone(_zone(tz))
    width = _WIDTHS.get(fmt, "medium")
    # Babel's own datetime format shows seconds; people want the day and hh:mm.
    pattern = str(get_datetime_format(width, locale=loc)).replace("'", "")
    day_text = babel_format_date(local, width, locale=loc)
    time_text = babel_format_time(local, "short", locale=loc)
    return pattern.replace("{0}", time_text).replace("{1}", day_text)


def format_clock(value: object, locale: str, tz: object = None) -> str:
    """Hours and minutes of ``value`` in the shop's time zone ("11:00 AM", "11:00")."""
    local = to_datetime(value).astimezone(_zone(tz))
    return babel_format_time(local, "short", locale=resolve_locale(locale))


def status_label(status: str, locale: str) -> str:
    loc = resolve_locale(locale)
    return _STATUS_LABELS.get(loc, {}).get(status) or status.replace("_", " ")


def country_name(code: str, locale: str) -> str:
    territories = Locale.parse(resolve_locale(locale)).territories
    return str(territories.get(code.upper(), code))


def _ctx_locale(ctx: Context) -> str:
    return str(ctx.get("locale") or DEFAULT_LOCALE)


@pass_context
def _money_filter(ctx: Context, amount: object, currency: str) -> str:
    return format_money(amount, currency, _ctx_locale(ctx))


@pass_context
def _date_filter(ctx: Context, value: object, fmt: str = "medium") -> str:
    return format_day(value, _ctx_locale(ctx), ctx.get("tz"), fmt)


@pass_context
def _datetime_filter(ctx: Context, value: object, fmt: str = "medium") -> str:
    return format_moment(value, _ctx_locale(ctx), ctx.get("tz"), fmt)


@pass_context
def _time_filter(ctx: Context, value: object) -> str:
    return format_clock(value, _ctx_locale(ctx), ctx.get("tz"))


@pass_context
def _status_filter(ctx: Context, status: str) -> str:
    return status_label(status, _ctx_locale(ctx))


@pass_context
def _country_filter(ctx: Context, code: str) -> str:
    return country_name(code, _ctx_locale(ctx))


def _autoescape(name: str | None) -> bool:
    # HTML e-mail and Telegram (HTML parse mode) templates are the ones named *.html.j2.
    return name is not None and name.endswith(".html.j2")


def _loader() -> BaseLoader:
    root = resources.files("templates")
    if isinstance(root, os.PathLike):
        return FileSystemLoader(os.fspath(root))
    return PackageLoader("templates", ".")  # installed as a zip: read through the importer


def build_environment() -> Environment:
    env = Environment(
        loader=_loader(),
        undefined=StrictUndefined,
        autoescape=_autoescape,  # noqa: S701 - a selector: *.html.j2 are escaped
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(
        money=_money_filter,
        date=_date_filter,
        datetime=_datetime_filter,
        time=_time_filter,
        status=_status_filter,
        country=_country_filter,
    )
    return env


def render(env: Environment, path: str, locale: str | None, context: Mapping[str, Any]) -> str:
    """Render ``<area>/<name>`` (e.g. ``email/invoice.txt.j2``) in ``locale``, else in English.

    The locale of the template actually used goes into the context as ``locale``, so dates
    and amounts are formatted in the language of the text around them.
    """
    area, _, name = path.partition("/")
    if not area or not name:
        raise ValueError(f"template path must be <area>/<name>: {path!r}")
    resolved = resolve_locale(locale)
    names = [f"{area}/{resolved}/{name}"]
    if resolved != DEFAULT_LOCALE:
        names.append(f"{area}/{DEFAULT_LOCALE}/{name}")
    template = env.select_template(names)
    used = resolved if template.name == names[0] else DEFAULT_LOCALE
    return template.render({**context, "locale": used}).strip()
