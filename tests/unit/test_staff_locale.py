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


SALES = {"period": "week", "from": "2026-11-18", "to": "2026-11-24", "timezone": "UTC",
         "title": "Last 7 days, 18 Nov – 24 Nov 2026 (UTC)", "currency": "EUR", "orders": 7,
         "revenue": "1113.10", "refunds": "12.50", "net_revenue": "1100.60", "cost": "50.20",
         "margin": "1050.40", "by_day": [],
         "by_channel": [{"channel": "web", "orders": 1, "net_revenue": "1100.60",
                         "margin": "1050.40"}],
         "not_converted": [{"currency": "HUF", "orders": 2, "amount": "999.99"}]}
OPS = {"shipped": 1, "delivered": 1, "delayed": 0, "returns": 1, "low_stock": 2,
       "low_stock_new": 1}


@pytest.mark.parametrize(("locale", "expected"), [
    ("en", ["*Last 7 days, 18 Nov – 24 Nov 2026 (UTC)*",
            "• Orders: 7 · revenue 1,113.10 EUR · refunds 12.50 EUR · net 1,100.60 EUR",
            "• By channel: web 1,100.60 (1 order)",
            "• Not converted (no HUF rate on their day): 2 orders, 999.99 HUF"]),
    ("it", ["*Ultimi 7 giorni, 18 nov – 24 nov 2026 (UTC)*",
            "• Ordini: 7 · fatturato 1.113,10 EUR", "• Spediti: 1 · Consegnati: 1"]),
    ("de", ["*Letzte 7 Tage, 18. Nov. – 24. Nov. 2026 (UTC)*",
            "• Bestellungen: 7 · Umsatz 1.113,10 EUR", "2 Bestellungen, 999,99 HUF",
            "• Verspätet: 0"]),
])
def test_the_report_is_in_the_staff_locale(locale: str, expected: list[str]) -> None:
    text = render_template(staff_environment(locale), "slack", "report",
                           {"sales": SALES, "ops": OPS, "title": "x", "lines": []})
    for piece in expected:
        assert piece in text, text


def test_the_daily_report_is_in_the_staff_locale() -> None:
    daily = {**OPS, "day": "2026-11-22", "text": "English", "sales": {
        **SALES, "period": "2026-11-22", "from": "2026-11-22", "to": "2026-11-22"}}

    german = alert("de", "daily_report", daily)
    english = alert("en", "daily_report", daily)

    assert german.startswith("Tagesbericht: So., 22. Nov. 2026 (UTC)\n• Bestellungen: 7")
    assert english.startswith("Daily report for Sun 22 Nov 2026 (UTC)\n• Orders: 7")


async def test_a_command_switched_off_is_said_in_the_staff_locale() -> None:
    from typing import cast

    from channels import staff_requests as sr
    from channels.staff_render import render_reply
    from channels.staff_replies import StaffUser
    from channels.staff_service import StaffService
    from domain.messagebus import Actor
    from domain.staff.model import Role

    unused = cast(Any, None)  # nothing runs: the command is off before the bus is asked
    service = StaffService(unused, unused, unused, currency="EUR", enabled={"stock"},
                           locale="de")
    admin = StaffUser("console", Role.ADMIN, Actor("console:test", "console"), "test")

    reply = await service.execute(sr.ShowOrder(1), admin)

    assert render_reply(staff_environment("de"), "console", reply) == (
        "order ist nicht verfügbar.")
    assert render_reply(staff_environment("it"), "slack", reply) == (
        "`order` non è disponibile.")


@pytest.mark.parametrize(("channel", "prefix", "expected"), [
    ("slack", "/oms ", "• `/oms receive SKU MENGE [LAGER]` — Eingegangenen Bestand einem Lager "
                       "gutschreiben."),
    ("console", "", "  receive SKU MENGE [LAGER] — Eingegangenen Bestand einem Lager "
                    "gutschreiben."),
])
def test_the_command_list_is_in_the_staff_locale(channel: str, prefix: str,
                                                 expected: str) -> None:
    from channels.staff_grammar import help_lines

    text = render_template(staff_environment("de"), channel, "help", {
        "lines": help_lines(None, prefix), "topic": None, "prefix": prefix})

    assert expected in text
    assert "Bestand\n" in text or "*Bestand*" in text  # the section heading
    assert "Add received stock" not in text
