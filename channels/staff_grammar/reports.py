"""The customer and sales commands: `customer`, `top`, `report`."""

from __future__ import annotations

from channels.staff_grammar.words import Invocation, Parser
from channels.staff_requests import (
    CUSTOMER_RANKINGS,
    PRODUCT_RANKINGS,
    REPORT_PERIODS,
    Report,
    ShowCustomer,
    TopCustomers,
    TopProducts,
)
from channels.staff_values import parse_email, parse_positive
from domain.texts import N_

MAX_TOP = 100


def _customer(words: Invocation) -> ShowCustomer:
    words.require(N_("an e-mail address"))
    words.at_most(1)
    return ShowCustomer(words.value(0, parse_email))


def _top(words: Invocation) -> TopCustomers | TopProducts:
    """`top [N] [revenue|profit]` (customers); `top products [N] [revenue|profit|units]`."""
    products = bool(len(words)) and words.word(0).lower() in ("products", "product")
    first = 1 if products else 0
    words.at_most(first + 2)
    n, index = 10, first
    if index < len(words) and words.word(index)[:1].isdigit():
        n = words.value(index, lambda text: parse_positive(text, MAX_TOP, N_("number")))
        index += 1
    words.at_most(index + 1)
    ranked = index < len(words)
    if products:
        return TopProducts(n, words.choice(index, PRODUCT_RANKINGS, N_("a ranking"))) if ranked \
            else TopProducts(n)
    return TopCustomers(n, words.choice(index, CUSTOMER_RANKINGS, N_("a ranking"))) if ranked \
        else TopCustomers(n)


def _report(words: Invocation) -> Report:
    words.at_most(1)
    return Report(words.choice(0, REPORT_PERIODS, N_("a period"))) if len(words) else Report()


PARSERS: dict[str, Parser] = {"customer": _customer, "top": _top, "report": _report}
