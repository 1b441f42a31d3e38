"""The three documents, each from one template in `templates/documents/` whose words go
through the catalogues. Documents are read in the warehouse (pickers, packers, the carrier's
driver), so they are in the staff's language, OMSBOT_STAFF_LOCALE: `locale` here; dates are
in the shop's time zone, `tz` (OMSBOT_TIMEZONE)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from functools import cache
from typing import Any

from jinja2 import Environment

from channels.documents.layout import render_pdf
from channels.formatting import country_name
from channels.rendering import build_environment, render
from domain.fulfillment.picking import PickGroup
from domain.fulfillment.queries import LabelData, SlipData

MAX_ORDERS_SHOWN = 12


@cache
def environment() -> Environment:
    """The shared environment, autoescaped throughout: a customer's name can never become
    layout markup."""
    env = build_environment()
    env.autoescape = True
    return env


def _render(name: str, locale: str, tz: str, context: dict[str, Any]) -> bytes:
    markup = render(environment(), f"documents/{name}.xml.j2", locale, {**context, "tz": tz})
    return render_pdf(markup)


def _country(code: str, locale: str) -> str:
    name = country_name(code, locale)
    return f"{name.upper()} ({code.upper()})" if name != code else code.upper()


def label_pdf(labels: Sequence[LabelData], locale: str = "en", tz: str = "UTC") -> bytes:
    """4×6 in shipping labels, one page per parcel: sender, recipient, service, weight,
    Code 128 of the tracking number and a QR code of the tracking link (of the number,
    when the carrier has no tracking page). Raises ValueError without labels."""
    if not labels:
        raise ValueError("no label to print")
    return _render("label", locale, tz, {"labels": [{
        "l": label, "weight": f"{label.weight_g / 1000:.2f} kg",
        "country": _country(label.recipient.country, locale),
        "link": label.tracking_link or label.tracking_number,
        "shipped_on": label.shipped_on,
    } for label in labels]})


def slip_pdf(slips: Sequence[SlipData], locale: str = "en", tz: str = "UTC") -> bytes:
    """Packing slips, one page per warehouse: lines with bins, Code 128 of the order."""
    if not slips:
        raise ValueError("no packing slip to print")
    return _render("packing_slip", locale, tz, {
        "slips": slips, "units": lambda s: sum(line.quantity for line in s.lines)})


def picklist_pdf(lists: Sequence[PickGroup], strategy: str, warehouse: str | None,
                 made: datetime, locale: str = "en", tz: str = "UTC") -> bytes:
    """Pick lists of one method, lines in walk order, a tick box per line. A line names at
    most `MAX_ORDERS_SHOWN` orders to sort into (a row must fit on a page)."""
    return _render("picklist", locale, tz, {
        "lists": lists, "strategy": strategy, "warehouse": warehouse, "made": made,
        "max_orders": MAX_ORDERS_SHOWN})
