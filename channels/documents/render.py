"""The three documents, each from its template in `templates/documents/<locale>/`."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from functools import cache
from typing import Any

from babel import Locale
from jinja2 import Environment, PackageLoader, StrictUndefined

from channels.documents.layout import render_pdf
from domain.fulfillment.picking import PickGroup
from domain.fulfillment.queries import LabelData, SlipData

LOCALE = "en"
MAX_ORDERS_SHOWN = 12


@cache
def environment() -> Environment:
    """Autoescaped: a customer's name can never become layout markup."""
    return Environment(loader=PackageLoader("templates", "documents"), autoescape=True,
                       undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)


def _render(name: str, context: dict[str, Any]) -> bytes:
    markup = environment().get_template(f"{LOCALE}/{name}.xml.j2").render(**context)
    return render_pdf(markup)


def _country(code: str) -> str:
    name = Locale.parse(LOCALE).territories.get(code.upper())
    return f"{name.upper()} ({code.upper()})" if name else code.upper()


def label_pdf(labels: Sequence[LabelData]) -> bytes:
    """4×6 in shipping labels, one page per parcel: sender, recipient, service, weight,
    Code 128 of the tracking number and a QR code of the tracking link (of the number,
    when the carrier has no tracking page). Raises ValueError without labels."""
    if not labels:
        raise ValueError("no label to print")
    return _render("label", {"labels": [{
        "l": label, "weight": f"{label.weight_g / 1000:.2f} kg",
        "country": _country(label.recipient.country),
        "link": label.tracking_link or label.tracking_number,
        "shipped_on": label.shipped_on.isoformat() if label.shipped_on else "",
    } for label in labels]})


def slip_pdf(slips: Sequence[SlipData]) -> bytes:
    """Packing slips, one page per warehouse: lines with bins, Code 128 of the order."""
    if not slips:
        raise ValueError("no packing slip to print")
    return _render("packing_slip", {
        "slips": slips, "units": lambda s: sum(line.quantity for line in s.lines)})


def picklist_pdf(lists: Sequence[PickGroup], strategy: str, warehouse: str | None,
                 made: datetime) -> bytes:
    """Pick lists of one method, lines in walk order, a tick box per line. A line names at
    most `MAX_ORDERS_SHOWN` orders to sort into (a row must fit on a page)."""
    return _render("picklist", {"lists": lists, "strategy": strategy, "warehouse": warehouse,
                                "made": made.strftime("%Y-%m-%d %H:%M UTC"),
                                "max_orders": MAX_ORDERS_SHOWN})
