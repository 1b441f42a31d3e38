"""Staff replies and alerts in OMSBOT_STAFF_LOCALE, from the same templates."""

from __future__ import annotations

from typing import Any

import pytest

from channels.staff_render import render_template, staff_environment

LOW = {"sku": "MUG-01", "warehouse": "MIL", "product_name": "Mug", "available": 2,
       "reorder_point": 5, "units_sold_30d": 96, "daily_rate": "3.20", "days_of_cover": "0.6",
       "purchase_order_id": None, "text": "Low stock (English)"}


def alert(locale: str, kind: str, payload: dict[str, Any]) -> str:
    return render_template(staff_environment(locale), "slack", "alert", {
        "kind": kind, "payload": payload, "order": None, "ret": None, "number": None,
        "rma": None, "po": None})


@pytest.mark.parametrize(("locale", "low"), [
    ("en", "Low stock: MUG-01 (Mug) at MIL has 2 available, at or below its reorder point of 5. "
     "Sold 96 in the last 30 days (3.20 a day): about 0.6 days of cover."),
    ("it", "Scorte basse: MUG-01 (Mug) a MIL"),
    ("de", "Niedriger Bestand: MUG-01 (Mug) in MIL"),
])
def test_alerts_are_in_the_staff_locale(locale: str, low: str) -> None:
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
