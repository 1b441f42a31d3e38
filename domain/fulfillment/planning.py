"""A shipment's parcels and their rates: the packer and the rate shop together.

Used by the `ship` handler (to buy the chosen rate) and by the read side (`/oms rates N`),
so staff see exactly what `ship` would do.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from domain.fulfillment.carriers import Carrier, Rate, choose_rate, rates_for
from domain.fulfillment.packing import Box, Parcel, Unit, pack
from domain.inventory.model import Product


@dataclass(frozen=True)
class ParcelPlan:
    """One parcel, every rate for it (cheapest first) and the one `ship` would buy."""

    parcel: Parcel
    rates: list[Rate]
    chosen: Rate | None


@dataclass(frozen=True)
class Destination:
    """Where and by when: the order's country, promised delivery and method."""

    country: str
    promised: date
    express: bool


def units_of(items: Iterable[tuple[str, int]], products: Mapping[str, Product]) -> list[Unit]:
    """(sku, quantity) pairs → one Unit per piece, with the product's weight and size."""
    units: list[Unit] = []
    for sku, quantity in items:
        product = products.get(sku)
        weight = (product.weight_g or 0) if product else 0
        dims = product_dims(product) if product else None
        units.extend(Unit(sku, weight, dims) for _ in range(quantity))
    return units


def product_dims(product: Product) -> tuple[int, int, int] | None:
    edges = (product.length_mm, product.width_mm, product.height_mm)
    if any(edge is None for edge in edges):
        return None
    return (int(edges[0] or 0), int(edges[1] or 0), int(edges[2] or 0))


def is_express(shipping_method: str) -> bool:
    """Express methods buy the fastest service, whatever it costs."""
    return "express" in shipping_method.lower()


def plan_parcels(
    units: Sequence[Unit], boxes: Sequence[Box], carriers: Sequence[Carrier],
    destination: Destination, ship_on: date, preferred: tuple[str, str] | None = None,
) -> list[ParcelPlan]:
    """Pack the units, then rate each parcel. `preferred` (carrier, service): staff's choice,
    used for every parcel it takes; the rate shop decides for the others."""
    plans: list[ParcelPlan] = []
    for parcel in pack(units, boxes):
        rates = rates_for(carriers, destination.country, parcel.weight_g, parcel.dims,
                          ship_on, destination.promised)
        chosen = choose_rate(rates, express=destination.express)
        if preferred is not None:
            wanted = f"{preferred[0]}/{preferred[1]}".lower()
            chosen = next((r for r in rates if r.key.lower() == wanted), chosen)
        plans.append(ParcelPlan(parcel, rates, chosen))
    return plans
