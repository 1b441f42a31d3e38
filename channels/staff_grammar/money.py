"""The money commands: `pay`, `fx`."""

from __future__ import annotations

from channels.staff_grammar.words import ORDER, Invocation, Parser
from channels.staff_requests import PayOrder, SetFxRate, ShowFxRates
from channels.staff_values import (
    parse_amount,
    parse_currency,
    parse_free_text,
    parse_fx_rate,
    parse_order_number,
)
from domain.texts import N_


def _pay(words: Invocation) -> PayOrder:
    words.require(ORDER, N_("an amount"))
    words.at_most(3)
    method = (words.value(2, lambda text: parse_free_text(text, N_("payment method"), 64))
              if len(words) == 3 else None)
    return PayOrder(words.value(0, parse_order_number), words.value(1, parse_amount), method)


def _fx(words: Invocation) -> ShowFxRates | SetFxRate:
    if not len(words):
        return ShowFxRates()
    words.require(N_("a currency (ISO 4217, like USD)"),
                  N_("a rate (1 CURRENCY = RATE base currency)"))
    words.at_most(2)
    return SetFxRate(words.value(0, parse_currency), words.value(1, parse_fx_rate))


PARSERS: dict[str, Parser] = {"pay": _pay, "fx": _fx}
