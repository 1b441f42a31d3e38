"""Which errors a Telegram customer reads, and in which words (channels/telegram/errors.py)."""

from __future__ import annotations

import html

import pytest

from channels.rendering import build_environment
from channels.telegram.errors import reply_for
from channels.telegram.replies import Replies
from domain.errors import (
    ORDER,
    PRODUCT,
    InsufficientStock,
    InvalidTransition,
    NotFound,
    NotReturnable,
    Shortage,
    ValidationError,
)
from domain.texts import N_, Text


def said(exc: Exception, locale: str) -> str:
    template, context = reply_for(exc)
    return html.unescape(Replies(build_environment(), locale, "Europe/Rome")(template, **context))


def test_a_missing_order_answers_like_someone_elses() -> None:
    assert reply_for(NotFound(ORDER, "ORD-000009")) == ("order_not_found",
                                                         {"number": "ORD-000009"})
    assert reply_for(NotFound("Order", "abc"))[0] == "order_not_found"


@pytest.mark.parametrize(("exc", "locale", "expected"), [
    (NotFound(PRODUCT, "MUG-9"), "de", "😕 Produkt MUG-9"),
    (NotReturnable(Text.of(N_("Order %(number)s can be returned once it is delivered"),
                           number="ORD-000002")), "it", "😕 L'ordine ORD-000002 si può rendere"),
    (ValidationError("email", Text.of(N_("%(value)s is not a valid e-mail address"),
                                      value="'x'")), "de", "😕 'x' ist keine gültige"),
])
def test_words_meant_for_the_customer_are_said_in_their_language(
        exc: Exception, locale: str, expected: str) -> None:
    assert said(exc, locale).startswith(expected)


@pytest.mark.parametrize("exc", [
    InsufficientStock([Shortage("MUG-01", 5, 2)]),
    InvalidTransition(ORDER, "shipped", "cancel", ["deliver"]),
])
def test_rules_meant_for_staff_refuse_without_their_details(exc: Exception) -> None:
    reply = said(exc, "it")

    assert reply == "😕 Mi dispiace, qui non posso farlo per te."
    assert "MUG-01" not in reply and "deliver" not in reply


def test_a_bug_answers_the_generic_words() -> None:
    reply = said(RuntimeError("db-internal-7 refused"), "de")

    assert reply == ("😕 Bei uns ist etwas schiefgelaufen. "
                     "Bitte versuchen Sie es gleich noch einmal.")
