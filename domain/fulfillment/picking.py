"""Pick lists: what to take off the shelves for the orders waiting to ship.

Every list is in walk order: lines sorted by bin location in natural order (`A-2-1` before
`A-10-1`), lines without a bin last. A bin `A-03-2` names zone `A`, aisle 03, shelf 2.
Methods, as warehouses use them:
- single: one list per order, in ship-by order (small shops, big orders);
- batch: orders in batches of N (ship-by order), one line per SKU with the total and the
  orders to sort it into;
- zone: one list per zone, for a picker who stays in their zone;
- wave: orders released in waves by ship-by window (4 hours), earliest first, each wave
  picked as a batch.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TypeVar

from domain.texts import N_, NN_, Text

STRATEGIES = ("single", "batch", "zone", "wave")
WAVE = timedelta(hours=4)
BATCH_SIZE = 20
NO_ZONE = "?"
BIN_PATTERN = re.compile(r"^[A-Z0-9]{1,8}(?:-[A-Z0-9]{1,8}){0,4}$")
_PARTS = re.compile(r"(\d+)")
K = TypeVar("K")


@dataclass(frozen=True)
class PickRow:
    """One SKU of one pending shipment, and where it lies."""

    order: str
    ship_by: datetime
    warehouse: str
    sku: str
    name: str
    quantity: int
    bin: str | None = None


@dataclass
class PickLine:
    sku: str
    name: str
    quantity: int
    orders: list[str] = field(default_factory=list)
    bin: str | None = None


@dataclass
class PickGroup:
    """One list to hand to a picker."""

    title: Text  # said in the reader's language by the channel
    warehouse: str
    lines: list[PickLine]

    @property
    def units(self) -> int:
        return sum(line.quantity for line in self.lines)

    @property
    def orders(self) -> list[str]:
        seen: dict[str, None] = {}
        for line in self.lines:
            seen.update(dict.fromkeys(line.orders))
        return list(seen)


def zone_of(bin_code: str | None) -> str:
    """`A-03-2` → `A`; no bin → `?`."""
    return bin_code.split("-", 1)[0] if bin_code else NO_ZONE


def walk_key(bin_code: str | None, sku: str) -> tuple[int, tuple[tuple[int, int | str], ...],
                                                      str]:
    """Natural order of bin locations (numbers compare as numbers); no bin goes last."""
    if not bin_code:
        return (1, (), sku)
    parts = tuple((0, int(p)) if p.isdigit() else (1, p)
                  for p in _PARTS.split(bin_code) if p)
    return (0, parts, sku)


def _batch(rows: Sequence[PickRow]) -> list[PickLine]:
    lines: dict[str, PickLine] = {}
    for row in rows:
        line = lines.setdefault(row.sku, PickLine(row.sku, row.name, 0, bin=row.bin))
        line.quantity += row.quantity
        if row.order not in line.orders:
            line.orders.append(row.order)
    return sorted(lines.values(), key=lambda ln: walk_key(ln.bin, ln.sku))


def _by(rows: Sequence[PickRow], key: Callable[[PickRow], K]) -> dict[K, list[PickRow]]:
    groups: dict[K, list[PickRow]] = defaultdict(list)
    for row in rows:
        groups[key(row)].append(row)
    return groups


def _wave_of(first: datetime) -> Callable[[PickRow], int]:
    return lambda row: (row.ship_by - first) // WAVE


def build_pick_lists(rows: Sequence[PickRow], strategy: str, batch_size: int = BATCH_SIZE
                     ) -> list[PickGroup]:
    """Pick lists of one method for `rows` (any warehouses: lists never mix them).
    Raises ValueError for an unknown method or a batch size below 1."""
    if strategy not in STRATEGIES:
        raise ValueError(f"unknown pick strategy {strategy!r}")
    if batch_size < 1:
        raise ValueError("a batch holds at least one order")
    ordered = sorted(rows, key=lambda r: (r.warehouse, r.ship_by, r.order, r.sku))
    groups: list[PickGroup] = []
    for wh, in_wh in _by(ordered, lambda r: r.warehouse).items():
        if strategy == "single":
            groups.extend(_singles(wh, in_wh))
        elif strategy == "batch":
            groups.extend(_batches(wh, in_wh, batch_size))
        elif strategy == "zone":
            for zone, in_zone in sorted(_by(in_wh, lambda r: zone_of(r.bin)).items(),
                                        key=lambda kv: (kv[0] == NO_ZONE, kv[0])):
                title = (Text.of(N_("Zone %(zone)s"), zone=zone) if zone != NO_ZONE
                         else Text(N_("No bin yet")))
                groups.append(PickGroup(title, wh, _batch(in_zone)))
        else:
            waves = _by(in_wh, _wave_of(in_wh[0].ship_by))
            for number, (_, in_wave) in enumerate(sorted(waves.items()), 1):
                due = min(r.ship_by for r in in_wave).strftime("%Y-%m-%d %H:%M")
                groups.append(PickGroup(
                    Text.of(N_("Wave %(number)s: %(orders)s due from %(due)s UTC"),
                            number=number, orders=_count(in_wave), due=due),
                    wh, _batch(in_wave)))
    return groups


def _singles(warehouse: str, rows: Sequence[PickRow]) -> list[PickGroup]:
    groups = []
    for order, of_order in _by(rows, lambda r: r.order).items():
        ship_by = of_order[0].ship_by.strftime("%Y-%m-%d %H:%M")
        groups.append(PickGroup(Text.of(N_("%(order)s (ship by %(due)s UTC)"), order=order,
                                        due=ship_by), warehouse, _batch(of_order)))
    return groups


def _batches(warehouse: str, rows: Sequence[PickRow], size: int) -> list[PickGroup]:
    by_order = list(_by(rows, lambda r: r.order).values())
    chunks = [by_order[i:i + size] for i in range(0, len(by_order), size)]
    groups = []
    for number, chunk in enumerate(chunks, 1):
        in_chunk = [row for of_order in chunk for row in of_order]
        title = (Text.of(N_("Batch of %(orders)s"), orders=_count(in_chunk))
                 if len(chunks) == 1 else
                 Text.of(N_("Batch %(number)s/%(batches)s: %(orders)s"), number=number,
                         batches=len(chunks), orders=_count(in_chunk)))
        groups.append(PickGroup(title, warehouse, _batch(in_chunk)))
    return groups


def _count(rows: Sequence[PickRow]) -> Text:
    n = len({r.order for r in rows})
    return Text.counted(NN_("%(count)s order", "%(count)s orders"), n)
