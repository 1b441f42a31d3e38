"""The fulfilment commands: `rates`, `label`, `slip`, `pack`, `scan`, `picklist`."""

from __future__ import annotations

from channels.staff_grammar.orders import one_order
from channels.staff_grammar.words import ORDER, Invocation, Parser
from channels.staff_requests import (
    PICK_STRATEGIES,
    ChooseRate,
    PackingSlip,
    PickList,
    Scan,
    ShippingLabel,
    ShowRates,
    StartPacking,
)
from channels.staff_values import (
    parse_free_text,
    parse_order_number,
    parse_positive,
    parse_warehouse,
)
from domain.texts import N_

MAX_BATCH = 500


def _rates(words: Invocation) -> ShowRates | ChooseRate:
    words.require(ORDER)
    number = words.value(0, parse_order_number)
    if len(words) == 1:
        return ShowRates(number)
    words.require(ORDER, N_("a carrier"), N_("a service"))
    words.at_most(3)
    return ChooseRate(number, words.value(1, parse_warehouse), words.value(2, parse_warehouse))


def _scan(words: Invocation) -> Scan:
    words.require(N_("a scanned code"))
    words.at_most(1)
    return Scan(words.value(0, lambda text: parse_free_text(text, N_("code"), 64)))


def _picklist(words: Invocation) -> PickList:
    words.require(N_("a strategy (single, batch, zone or wave)"))
    words.at_most(3)
    strategy = words.choice(0, PICK_STRATEGIES, N_("a pick strategy"))
    warehouse = words.value(1, parse_warehouse) if len(words) >= 2 else None
    if len(words) < 3:
        return PickList(strategy, warehouse)
    size = words.value(2, lambda text: parse_positive(text, MAX_BATCH, N_("batch size")))
    return PickList(strategy, warehouse, size)


PARSERS: dict[str, Parser] = {
    "rates": _rates, "label": one_order(ShippingLabel), "slip": one_order(PackingSlip),
    "pack": one_order(StartPacking), "scan": _scan, "picklist": _picklist,
}
