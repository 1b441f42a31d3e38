"""Pricing a return from the order lines its units came from, and splitting a refund.

Amounts are decimals in the order's currency, quantised to its ISO 4217 minor unit.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal

from domain.accounting.allocation import take_units
from domain.accounting.tax import TaxSplit, share_of, split
from domain.money import quantize
from domain.orders import model as om
from domain.returns import model as rm


def returned_per_line(returns: Iterable[rm.ReturnRequest]) -> dict[int, int]:
    """Units already coming back per order line id (rejected returns do not count)."""
    taken: dict[int, int] = {}
    for ret in returns:
        if ret.status == rm.REJECTED:
            continue
        for ln in ret.lines:
            if ln.order_line_id is not None:
                taken[ln.order_line_id] = taken.get(ln.order_line_id, 0) + ln.quantity
    return taken


def price_return(order: om.Order, origin: Mapping[tuple[str, str | None], int],
                 taken: Mapping[int, int]) -> list[rm.ReturnLine]:
    """Return lines for `origin` {(sku, warehouse it shipped from): units}, each priced
    from its own order line. A SKU on several lines gives back the cheapest units first
    (ties in line order): the refund never assumes the dearer unit came back; staff may
    refund more, up to what is refundable. `taken`: units already coming back per line."""
    used = dict(taken)
    lines: list[rm.ReturnLine] = []
    for (sku, warehouse), quantity in origin.items():
        same = sorted((ln for ln in order.lines if ln.sku == sku),
                      key=lambda ln: ln.unit_price)
        left = [(ln, ln.open_quantity - used.get(ln.id or 0, 0)) for ln in same]
        for part in take_units(left, 0, quantity):
            key = part.line.id or 0
            used[key] = used.get(key, 0) + part.quantity
            lines.append(rm.ReturnLine(sku, part.quantity, part.line.unit_price, warehouse,
                                       part.line.id, part.line.tax_rate))
    return lines


def return_goods(ret: rm.ReturnRequest, order: om.Order) -> TaxSplit:
    """Net and tax of the goods of `ret`, at their own lines' prices."""
    return split(((ln.unit_price * ln.quantity, ln.tax_rate) for ln in ret.lines),
                 order.currency, order.prices_include_tax)


@dataclass(frozen=True)
class RefundPlan:
    """A refund of `amount` = `net` + `tax` (goods) + `shipping` + `shipping_tax`
    (shipping, net and its VAT) + `goodwill`."""

    amount: Decimal
    net: Decimal
    tax: Decimal
    shipping: Decimal
    goodwill: Decimal
    shipping_tax: Decimal = Decimal(0)


def plan_refund(ret: rm.ReturnRequest, order: om.Order, amount: Decimal | None) -> RefundPlan:
    """What refunding `ret` pays and how it splits. `amount` None: the goods' value (0 for
    an exchange: its replacement settles it). Whether the order may pay it out is the
    order's rule (`Order.record_refund`)."""
    value = return_goods(ret, order)
    if amount is None:
        amount = Decimal(0) if ret.exchange else value.gross
    amount = quantize(amount, order.currency)
    goods_part = min(amount, value.gross)
    tax = (quantize(value.tax * goods_part / value.gross, order.currency)
           if value.gross else Decimal(0))
    rest = amount - goods_part
    charged = order.shipping_tax()
    shipping = min(rest, charged.gross)
    shipping_tax = share_of(shipping, charged.gross, charged.tax, order.currency)
    return RefundPlan(amount, goods_part - tax, tax, shipping - shipping_tax,
                      rest - shipping, shipping_tax)
