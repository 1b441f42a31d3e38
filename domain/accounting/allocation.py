"""Which order lines the units of a parcel or a return came from, and what they are worth.

The same SKU may sit on several lines at different prices (a free gift and a paid unit):
each unit is valued at its own line's price, never at "the" price of its SKU. Amounts are
decimals in the order's currency.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from domain.accounting.events import GoodsShipped
from domain.accounting.tax import TaxSplit, split
from domain.orders import model as om


@dataclass(frozen=True)
class LineUnits:
    """`quantity` units taken from one order line."""

    line: om.OrderLine
    quantity: int


def take_units(lines: Sequence[tuple[om.OrderLine, int]], skip: int, count: int
               ) -> list[LineUnits]:
    """`count` units from `lines` ((line, units on it) in the order to use them), after
    the first `skip` units; raises ValueError when the lines hold fewer."""
    taken: list[LineUnits] = []
    for line, units in lines:
        here = min(max(units - skip, 0), count)
        skip = max(skip - units, 0)
        if here:
            taken.append(LineUnits(line, here))
            count -= here
    if count:
        raise ValueError("more units than the order lines hold")
    return taken


def goods(order: om.Order, units: Iterable[LineUnits]) -> TaxSplit:
    """Net and tax of `units`, at their own lines' prices and rates."""
    return split(((u.line.unit_price * u.quantity, u.line.tax_rate) for u in units),
                 order.currency, order.prices_include_tax)


def cost(units: Iterable[LineUnits]) -> Decimal:
    """Cost of goods of `units` (unit_cost × quantity; a line without a cost counts 0)."""
    return sum(((u.line.unit_cost or Decimal(0)) * u.quantity for u in units), Decimal(0))


def _shipped_before(order: om.Order, shipment: om.Shipment) -> list[om.Shipment]:
    """The order's other parcels that shipped before `shipment` (by time, then id)."""
    def key(s: om.Shipment) -> tuple[str, int]:
        return ((s.shipped_at.isoformat() if s.shipped_at else "~"), s.id or 0)

    return [s for s in order.shipments
            if s is not shipment and s.shipped_at is not None and key(s) < key(shipment)]


def shipment_units(order: om.Order, shipment: om.Shipment) -> list[LineUnits]:
    """The lines the items of `shipment` came from: each SKU's units are taken from its
    lines in line order, after the units the order's earlier parcels took."""
    earlier = _shipped_before(order, shipment)
    units: list[LineUnits] = []
    for item in shipment.items:
        before = sum(i.quantity for s in earlier for i in s.items if i.sku == item.sku)
        lines = [(ln, ln.quantity) for ln in order.lines if ln.sku == item.sku]
        units += take_units(lines, before, item.quantity)
    return units


def shipment_revenue(order: om.Order, shipment: om.Shipment | None) -> GoodsShipped:
    """The revenue event of a parcel that just shipped (None: a whole order imported as
    already shipped); the order's shipping (net, and its VAT) is earned with its first
    parcel."""
    if shipment is None:
        units = [LineUnits(ln, ln.quantity) for ln in order.lines]
        first, at, shipment_id = True, order.shipped_at or order.placed_at, None
    else:
        units = shipment_units(order, shipment)
        first = not _shipped_before(order, shipment)
        at, shipment_id = shipment.shipped_at or order.placed_at, shipment.id
    value = goods(order, units)
    shipping = order.shipping_tax() if first else TaxSplit(Decimal(0), Decimal(0))
    assert order.id is not None
    return GoodsShipped(order.id, shipment_id, order.currency, at, value.net, value.tax,
                        shipping.net, cost(units), shipping.tax)
