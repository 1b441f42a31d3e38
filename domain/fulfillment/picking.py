"""Pick lists: what to take off the shelves for the orders waiting to ship.

Strategies, as warehouses use them:
- single: one list per order, in ship-by order (small shops, big orders);
- batch: every open order at once, one line per SKU with the total and the orders to sort;
- zone: the batch split by shelf zone (the SKU's family, the part before the first '-');
- wave: orders released in waves by ship-by window (4 hours), earliest first, each wave
  picked as a batch.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TypeVar

STRATEGIES = ("single", "batch", "zone", "wave")
WAVE = timedelta(hours=4)
K = TypeVar("K")


@dataclass(frozen=True)
class PickRow:
    """One SKU of one pending shipment."""

    order: str
    ship_by: datetime
    warehouse: str
    sku: str
    name: str
    quantity: int


@dataclass
class PickLine:
    sku: str
    name: str
    quantity: int
    orders: list[str] = field(default_factory=list)


@dataclass
class PickGroup:
    """One list to hand to a picker."""

    title: str
    warehouse: str
    lines: list[PickLine]

    @property
    def units(self) -> int:
        return sum(line.quantity for line in self.lines)


def zone_of(sku: str) -> str:
    return sku.split("-", 1)[0]


def _batch(rows: Sequence[PickRow]) -> list[PickLine]:
    lines: dict[str, PickLine] = {}
    for row in rows:
        line = lines.setdefault(row.sku, PickLine(row.sku, row.name, 0))
        line.quantity += row.quantity
        if row.order not in line.orders:
            line.orders.append(row.order)
    return sorted(lines.values(), key=lambda ln: ln.sku)


def _by(rows: Sequence[PickRow], key: Callable[[PickRow], K]) -> dict[K, list[PickRow]]:
    groups: dict[K, list[PickRow]] = defaultdict(list)
    for row in rows:
        groups[key(row)].append(row)
    return groups


def _wave_of(first: datetime) -> Callable[[PickRow], int]:
    return lambda row: (row.ship_by - first) // WAVE


def build_pick_lists(rows: Sequence[PickRow], strategy: str) -> list[PickGroup]:
    if strategy not in STRATEGIES:
        raise ValueError(f"unknown pick strategy {strategy!r}")
    ordered = sorted(rows, key=lambda r: (r.warehouse, r.ship_by, r.order, r.sku))
    groups: list[PickGroup] = []
    for wh, in_wh in _by(ordered, lambda r: r.warehouse).items():
        if strategy == "single":
            for order, of_order in _by(in_wh, lambda r: r.order).items():
                ship_by = of_order[0].ship_by.strftime("%Y-%m-%d %H:%M")
                groups.append(PickGroup(f"{order} (ship by {ship_by} UTC)", wh,
                                        _batch(of_order)))
        elif strategy == "batch":
            groups.append(PickGroup(_count(in_wh, "Batch of"), wh,
                                    _batch(in_wh)))
        elif strategy == "zone":
            for zone, in_zone in sorted(_by(in_wh, lambda r: zone_of(r.sku)).items()):
                groups.append(PickGroup(f"Zone {zone}", wh, _batch(in_zone)))
        else:
            waves = _by(in_wh, _wave_of(in_wh[0].ship_by))
            for number, (_, in_wave) in enumerate(sorted(waves.items()), 1):
                due = min(r.ship_by for r in in_wave).strftime("%Y-%m-%d %H:%M")
                groups.append(PickGroup(
                    f"Wave {number}: {_count(in_wave, '')} due from {due} UTC",
                    wh, _batch(in_wave)))
    return groups


def _count(rows: Sequence[PickRow], prefix: str) -> str:
    n = len({r.order for r in rows})
    text = f"{n} order" + ("" if n == 1 else "s")
    return f"{prefix} {text}" if prefix else text
