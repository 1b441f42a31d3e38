"""Warehouse routing: one warehouse that fills the whole order, else the fewest shipments.

Ranking: nearest to the destination when both have coordinates, then same country, then
warehouse priority (lower first), then code for a stable order.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from domain.errors import InsufficientStock, Shortage
from domain.inventory.model import Warehouse


@dataclass(frozen=True)
class Destination:
    country: str
    postal_code: str = ""
    lat: float | None = None
    lon: float | None = None


@dataclass(frozen=True)
class Allocation:
    warehouse: str
    sku: str
    quantity: int


def distance_km(a_lat: float, a_lon: float, b_lat: float, b_lon: float) -> float:
    """Great-circle distance (haversine)."""
    p1, p2 = math.radians(a_lat), math.radians(b_lat)
    dp, dl = p2 - p1, math.radians(b_lon - a_lon)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 6371.0 * 2 * math.asin(min(1.0, math.sqrt(h)))


def rank_warehouses(warehouses: Sequence[Warehouse], dest: Destination) -> list[Warehouse]:
    def key(w: Warehouse) -> tuple[float, int, int, str]:
        known = None not in (dest.lat, dest.lon, w.lat, w.lon)
        if known:
            assert dest.lat is not None and dest.lon is not None
            assert w.lat is not None and w.lon is not None
            dist = distance_km(w.lat, w.lon, dest.lat, dest.lon)
        else:
            dist = math.inf
        return (dist, 0 if w.country == dest.country else 1, w.priority, w.code)

    return sorted(warehouses, key=key)


def plan_allocation(
    wanted: Mapping[str, int],
    available: Mapping[tuple[str, str], int],
    warehouses: Sequence[Warehouse],
    dest: Destination,
) -> list[Allocation]:
    """Allocate `wanted` (sku -> units) from `available` ((warehouse, sku) -> units).

    Raises InsufficientStock naming every SKU that the warehouses together cannot cover.
    """
    shortages = []
    for sku, qty in wanted.items():
        total = sum(available.get((w.code, sku), 0) for w in warehouses)
        if total < qty:
            shortages.append(Shortage(sku, qty, max(total, 0)))
    if shortages:
        raise InsufficientStock(shortages)

    ranked = rank_warehouses(warehouses, dest)
    for w in ranked:
        if all(available.get((w.code, sku), 0) >= qty for sku, qty in wanted.items()):
            return [Allocation(w.code, sku, qty) for sku, qty in wanted.items()]
    return _split(dict(wanted), dict(available), ranked)


def _split(
    remaining: dict[str, int], available: dict[tuple[str, str], int], ranked: list[Warehouse]
) -> list[Allocation]:
    """Greedy: take the warehouse covering the most remaining units, ties by rank."""
    allocations: list[Allocation] = []
    candidates = list(ranked)
    while any(remaining.values()):
        def coverage(w: Warehouse) -> int:
            return sum(min(available.get((w.code, s), 0), q) for s, q in remaining.items())

        best = max(candidates, key=lambda w: (coverage(w), -candidates.index(w)))
        for sku, qty in list(remaining.items()):
            take = min(available.get((best.code, sku), 0), qty)
            if take > 0:
                allocations.append(Allocation(best.code, sku, take))
                available[(best.code, sku)] -= take
                remaining[sku] = qty - take
        candidates.remove(best)
    return allocations
