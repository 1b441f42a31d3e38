"""Customer mails show the VAT that makes up the total (F4), the units an order charges now
after a partial cancellation (F9), and what a staff cancellation did (F6)."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from jinja2 import Environment

from channels.rendering import build_environment, format_money
from tests.unit.test_email_render import LOCALES, make, parts, sample_context

ORDER_KINDS = ("order_confirmation", "order_delivered", "order_awaiting_payment",
               "payment_reminder", "invoice", "order_cancelled")
VAT_LABEL = {"en": "VAT", "it": "IVA", "de": "MwSt."}
INCLUDED = {"en": "incl. VAT", "it": "IVA inclusa", "de": "inkl. MwSt."}


@pytest.fixture(scope="module")
def env() -> Environment:
    return build_environment()


def order_excluding_tax(locale: str) -> dict[str, Any]:
    """The tester's order (F4): prices without VAT, 22.51 + 4.90 shipping + 3.75 VAT."""
    order = copy.deepcopy(sample_context(locale)["order"])
    order.update(subtotal="22.51", shipping_total="4.90", tax_total="3.75", total="31.16",
                 prices_include_tax=False, due="31.16")
    order["lines"] = [{"sku": "MUG-01", "name": "Mug", "quantity": 1, "unit_price": "12.50",
                       "line_total": "12.50"},
                      {"sku": "MUG-01", "name": "Mug", "quantity": 1, "unit_price": "10.00",
                       "line_total": "10.00"},
                      {"sku": "MUG-01", "name": "Mug", "quantity": 1, "unit_price": "0.01",
                       "line_total": "0.01"}]
    return order


@pytest.mark.parametrize("locale", LOCALES)
@pytest.mark.parametrize("kind", ORDER_KINDS)
def test_prices_without_vat_show_the_vat_that_makes_up_the_total(
        env: Environment, kind: str, locale: str) -> None:
    text, html = parts(make(env, kind, locale, context={"order": order_excluding_tax(locale)}))

    vat = format_money("3.75", "EUR", locale)
    total = format_money("31.16", "EUR", locale)
    assert f"{VAT_LABEL[locale]}: {vat}" in text, text
    assert vat in html and total in html and VAT_LABEL[locale] in html
    lines = [ln for ln in text.splitlines() if ln.endswith(total)]
    assert lines, text  # subtotal + shipping + VAT = the total shown
    assert INCLUDED[locale] not in text


@pytest.mark.parametrize("locale", LOCALES)
@pytest.mark.parametrize("kind", ORDER_KINDS)
def test_prices_with_vat_name_the_vat_included_in_the_total(
        env: Environment, kind: str, locale: str) -> None:
    text, html = parts(make(env, kind, locale))

    included = f"{INCLUDED[locale]} {format_money('185.72', 'EUR', locale)}"
    assert included in text and included in html


@pytest.mark.parametrize("locale", LOCALES)
def test_a_partly_cancelled_order_shows_what_it_charges_and_the_units_cancelled(
        env: Environment, locale: str) -> None:
    order = copy.deepcopy(sample_context(locale)["order"])
    order.update(subtotal="14.00", shipping_total="4.90", tax_total="3.41", total="18.90")
    order["lines"] = [{"sku": "GIFT-01", "name": "Gift mug", "quantity": 2,
                       "charged_quantity": 1, "cancelled": 1, "unit_price": "14.00",
                       "line_total": "14.00"}]
    text, html = parts(make(env, "order_confirmation", locale, context={"order": order}))

    price = format_money("14.00", "EUR", locale)
    assert f"- 1 × Gift mug (GIFT-01) · {price} = {price}" in text
    assert "2 ×" not in text and format_money("28.00", "EUR", locale) not in text
    assert "1 × Gift mug (GIFT-01)" in text.split(f"= {price}")[1]  # the cancelled unit
    assert format_money("18.90", "EUR", locale) in html
    assert "line-through" in html


@pytest.mark.parametrize("locale", LOCALES)
def test_a_partial_cancellation_mail_names_the_units_and_a_refund_mail_its_amount(
        env: Environment, locale: str) -> None:
    units = [{"sku": "GIFT-01", "name": "Gift mug", "quantity": 1}]
    text, html = parts(make(env, "order_cancelled", locale, context={"cancelled": units}))
    assert "1 × Gift mug (GIFT-01)" in text and "Gift mug" in html
    assert "ORD-000123" in text

    refund = {"amount": "14.00", "currency": "EUR"}
    context = sample_context(locale, "order_confirmation")
    context["refund"] = refund
    text, html = parts(make(env, "refund_issued", locale, context=context))
    amount = format_money("14.00", "EUR", locale)
    assert amount in text and amount in html and "RMA" not in text
