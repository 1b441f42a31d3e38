"""Staff replies, alerts and reports in OMSBOT_STAFF_LOCALE, from the same templates."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from channels.staff_render import render_template, staff_environment
from domain.automation.model import DayFigures

FIGURES = DayFigures(orders=4, revenue=Decimal("1075.00"), other_currency_orders=1, shipped=1,
                     delivered=1, delayed=0, returns=1, low_stock=2, low_stock_new=1,
                     low_stock_examples=("TEA-01 at ROM",))
REPORT: dict[str, Any] = {"title": "x", "lines": [], "figures": FIGURES, "currency": "EUR",
                          "period": "week", "tz": "Europe/Rome", "first": date(2026, 11, 24),
                          "last": date(2026, 11, 30)}
DAILY = {"day": "2026-11-24", "orders": 4, "revenue": "1075.00", "currency": "EUR",
         "other_currency_orders": 0, "shipped": 1, "delivered": 1, "delayed": 0,
         "returns": 1, "low_stock": 0, "low_stock_new": 0, "text": "Daily report (English)"}
LOW = {"sku": "MUG-01", "warehouse": "MIL", "product_name": "Mug", "available": 2,
       "reorder_point": 5, "units_sold_30d": 96, "daily_rate": "3.20", "days_of_cover": "0.6",
       "purchase_order_id": None, "text": "Low stock (English)"}


def alert(locale: str, kind: str, payload: dict[str, Any]) -> str:
    return render_template(staff_environment(locale), "slack", "alert", {
        "kind": kind, "payload": payload, "order": None, "ret": None, "number": None,
        "rma": None, "po": None})


@pytest.mark.parametrize(("locale", "expected"), [
    ("en", ["*Last 7 days, Nov 24, 2026 – Nov 30, 2026 (Europe/Rome)*",
            "• Orders: 4, revenue €1,075.00 (plus 1 in other currencies, not converted)",
            "• Low stock: 2 SKU/warehouse pairs at or below their reorder point, 1 new in the "
            "period (TEA-01 at ROM, …)"]),
    ("it", ["*Ultimi 7 giorni, 24 nov 2026 – 30 nov 2026 (Europe/Rome)*",
            "• Ordini: 4, fatturato € 1.075,00", "• Spediti: 1 · Consegnati: 1"]),
    ("de", ["*Letzte 7 Tage, 24.11.2026 – 30.11.2026 (Europe/Rome)*",
            "• Bestellungen: 4, Umsatz 1.075,00\u00a0€", "• Verspätet: 0"]),
])
def test_the_report_is_in_the_staff_locale(locale: str, expected: list[str]) -> None:
    text = render_template(staff_environment(locale), "slack", "report", REPORT)
    for piece in expected:
        assert piece in text, text


def test_the_console_report_has_the_same_words() -> None:
    text = render_template(staff_environment("de"), "console", "report", REPORT)
    assert text.startswith("Letzte 7 Tage, 24.11.2026 – 30.11.2026 (Europe/Rome)\n  Bestellungen")


@pytest.mark.parametrize(("locale", "daily", "low"), [
    ("en", "*Daily report for Nov 24, 2026*",
     "Low stock: MUG-01 (Mug) at MIL has 2 available, at or below its reorder point of 5. "
     "Sold 96 in the last 30 days (3.20 a day): about 0.6 days of cover."),
    ("it", "*Rapporto giornaliero del 24 nov 2026*", "Scorte basse: MUG-01 (Mug) a MIL"),
    ("de", "*Tagesbericht für den 24.11.2026*", "Niedriger Bestand: MUG-01 (Mug) in MIL"),
])
def test_alerts_are_in_the_staff_locale(locale: str, daily: str, low: str) -> None:
    assert daily in alert(locale, "daily_report", DAILY)
    assert low in alert(locale, "low_stock", LOW)
    assert "English" not in alert(locale, "low_stock", LOW)


def test_an_alert_without_its_figures_shows_its_text() -> None:
    assert "MUG-01 is low" in alert("de", "low_stock", {"text": "MUG-01 is low", "sku": "MUG-01"})


@pytest.mark.parametrize(("locale", "words"), [
    ("en", "`receive` needs the operator role; you are a viewer."),
    ("it", "`receive` richiede il ruolo operatore; tu sei un lettore."),
    ("de", "`receive` braucht die Rolle Operator; Sie sind Leser."),
])
def test_refusals_are_in_the_staff_locale(locale: str, words: str) -> None:
    text = render_template(staff_environment(locale), "slack", "not_allowed", {
        "command": "receive", "needed": "operator", "role": "viewer"})
    assert words in text
