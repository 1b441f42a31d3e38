"""The order commands: `order`, `orders`, `new`, `ship`, `deliver`, `cancel`, `hold`,
`release`, `flag`."""

from __future__ import annotations

import re

from channels.staff_grammar.words import ORDER, Invocation, Parser
from channels.staff_requests import (
    ORDER_CHANNELS,
    ORDER_FLAGS,
    ORDER_STATUSES,
    CancelOrder,
    DeliverOrder,
    FlagOrder,
    HoldOrder,
    ListOrders,
    NewOrder,
    OrderChannel,
    PackingSlip,
    ReleaseOrder,
    ShipOrder,
    ShippingLabel,
    ShowOrder,
    StaffRequest,
    StartPacking,
)
from channels.staff_values import (
    parse_date,
    parse_email,
    parse_free_text,
    parse_item,
    parse_order_number,
    shown,
)
from domain.texts import N_, Text

MAX_REASON = 500
_ITEM = re.compile(r"[A-Za-z0-9._-]+:[0-9]+")

# The requests that carry one order number and nothing else (fulfilment has three).
OneOrder = (ShowOrder | DeliverOrder | HoldOrder | ReleaseOrder | ShippingLabel | PackingSlip
            | StartPacking)


def one_order(request: type[OneOrder]) -> Parser:
    """The parser of a command that takes one order number and nothing else."""
    def parse_one(words: Invocation) -> StaffRequest:
        words.require(ORDER)
        words.at_most(1)
        return request(words.value(0, parse_order_number))

    return parse_one


def _orders(words: Invocation) -> ListOrders:
    if not len(words):
        return ListOrders()
    written = "_".join(token.value for token in words.tokens).lower().replace("-", "_")
    status = "cancelled" if written == "canceled" else written
    for known in ORDER_STATUSES:
        if known == status:
            return ListOrders(known)
    options = ", ".join(ORDER_STATUSES)
    raise words.error(Text.of(N_("%(value)s is not an order status; use one of: %(options)s."),
                              value=shown(words.rest(0)), options=options))


def _new(words: Invocation) -> NewOrder:
    email = words.value(0, parse_email) if len(words) else ""
    words.require(N_("the customer's e-mail"), N_("at least one item written SKU:QTY"))
    last = len(words) - 1
    channel: OrderChannel = "phone"
    if last > 1 and words.word(last).lower() in ORDER_CHANNELS:
        channel = words.choice(last, ORDER_CHANNELS, N_("a channel"))
        last -= 1
    items = tuple(words.value(index, parse_item) for index in range(1, last + 1))
    return NewOrder(email, items, channel)


def _ship(words: Invocation) -> ShipOrder:
    words.require(ORDER)
    number = words.value(0, parse_order_number)
    if len(words) == 1:
        return ShipOrder(number)
    words.require(ORDER, N_("a carrier"), N_("a tracking number"))
    carrier = words.value(1, lambda text: parse_free_text(text, N_("carrier"), 64))
    tracking = words.value(2, lambda text: parse_free_text(text, N_("tracking number"), 100))
    if len(words) == 3:
        return ShipOrder(number, carrier, tracking)
    if words.word(3).lower() != "eta":
        raise words.error(Text.of(N_("%(value)s is unexpected; write `eta YYYY-MM-DD` there."),
                                  value=shown(words.word(3))))
    words.require(ORDER, N_("a carrier"), N_("a tracking number"), "eta",
                  N_("a date written YYYY-MM-DD"))
    words.at_most(5)
    return ShipOrder(number, carrier, tracking, words.value(4, parse_date))


def _cancel(words: Invocation) -> CancelOrder:
    words.require(ORDER)
    first = 1
    while first < len(words) and _ITEM.fullmatch(words.word(first)):
        first += 1
    items = tuple(words.value(index, parse_item) for index in range(1, first))
    reason = words.rest(first) if first < len(words) else ""
    if len(reason) > MAX_REASON:
        raise words.error(Text.of(
            N_("The reason is too long; keep it under %(longest)s characters."),
            longest=MAX_REASON))
    return CancelOrder(words.value(0, parse_order_number), reason, items)


def _flag(words: Invocation) -> FlagOrder:
    words.require(ORDER, N_("a flag (vip, gift or replacement)"))
    words.at_most(2)
    return FlagOrder(words.value(0, parse_order_number),
                     words.choice(1, ORDER_FLAGS, N_("a flag")))


PARSERS: dict[str, Parser] = {
    "order": one_order(ShowOrder), "orders": _orders, "new": _new, "ship": _ship,
    "deliver": one_order(DeliverOrder), "cancel": _cancel, "hold": one_order(HoldOrder),
    "release": one_order(ReleaseOrder), "flag": _flag,
}
