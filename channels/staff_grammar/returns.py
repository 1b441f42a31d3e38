"""The return commands: `returns`, `return approve|reject|receive|refund`."""

from __future__ import annotations

from channels.staff_grammar.words import Invocation, Parser
from channels.staff_requests import RETURN_DECISIONS, ListReturns, ReturnAction
from channels.staff_values import parse_amount, parse_rma, parse_warehouse
from domain.texts import N_


def _returns(words: Invocation) -> ListReturns:
    words.at_most(0)
    return ListReturns()


def _return(words: Invocation) -> ReturnAction:
    words.require(N_("an action (approve, reject, receive or refund)"), N_("a return number"))
    action = words.choice(0, RETURN_DECISIONS, N_("a return action"))
    words.at_most(3 if action in ("receive", "refund") else 2)
    extra = len(words) == 3
    warehouse = words.value(2, parse_warehouse) if extra and action == "receive" else None
    amount = words.value(2, parse_amount) if extra and action == "refund" else None
    return ReturnAction(action, words.value(1, parse_rma), warehouse, amount)


PARSERS: dict[str, Parser] = {"returns": _returns, "return": _return}
