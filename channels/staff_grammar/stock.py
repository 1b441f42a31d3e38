"""The stock commands: `stock`, `receive`, `adjust`, `lowstock`, `po`."""

from __future__ import annotations

from channels.staff_grammar.orders import MAX_REASON
from channels.staff_grammar.words import Invocation, Parser
from channels.staff_requests import (
    AdjustStock,
    ApprovePurchaseOrder,
    LowStock,
    PurchaseOrders,
    ReceiveStock,
    ShowStock,
)
from channels.staff_values import (
    parse_adjustment,
    parse_purchase_order_id,
    parse_quantity,
    parse_sku,
    parse_warehouse,
    shown,
)
from domain.texts import N_, Text


def _stock(words: Invocation) -> ShowStock:
    words.require(N_("a SKU"))
    words.at_most(1)
    return ShowStock(words.value(0, parse_sku))


def _receive(words: Invocation) -> ReceiveStock:
    words.require(N_("a SKU"), N_("a quantity"))
    words.at_most(3)
    warehouse = words.value(2, parse_warehouse) if len(words) == 3 else None
    return ReceiveStock(words.value(0, parse_sku), words.value(1, parse_quantity), warehouse)


def _adjust(words: Invocation) -> AdjustStock:
    words.require(N_("a SKU"), N_("a warehouse"), N_("a change (+N, -N or =N)"), N_("a reason"))
    mode, quantity = words.value(2, parse_adjustment)
    reason = words.rest(3)
    if len(reason) > MAX_REASON:
        raise words.error(Text.of(
            N_("The reason is too long; keep it under %(longest)s characters."),
            longest=MAX_REASON))
    return AdjustStock(words.value(0, parse_sku), words.value(1, parse_warehouse), mode,
                       quantity, reason)


def _lowstock(words: Invocation) -> LowStock:
    words.at_most(0)
    return LowStock()


def _po(words: Invocation) -> PurchaseOrders | ApprovePurchaseOrder:
    if not len(words):
        return PurchaseOrders()
    if words.word(0).lower() != "approve":
        raise words.error(Text.of(N_("%(value)s is unexpected; write `po` or `po approve ID`."),
                                  value=shown(words.word(0))))
    words.require("approve", N_("a purchase order number"))
    words.at_most(2)
    return ApprovePurchaseOrder(words.value(1, parse_purchase_order_id))


PARSERS: dict[str, Parser] = {
    "stock": _stock, "receive": _receive, "adjust": _adjust, "lowstock": _lowstock,
    "po": _po,
}
