"""What cancelling units of an order did: value objects returned by the Order aggregate."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from domain.events import CancelledLine

if TYPE_CHECKING:
    from domain.orders.model import OrderLine, Shipment


@dataclass(frozen=True)
class Release:
    """Reserved units that go back to a warehouse's free stock."""

    sku: str
    warehouse: str
    quantity: int


@dataclass(frozen=True)
class Cancellation:
    """What a cancellation did: the stock to release and the units cancelled."""

    releases: tuple[Release, ...]
    units: tuple[CancelledLine, ...]
    whole_order: bool


def unreserve(pending: Sequence[Shipment], sku: str, quantity: int) -> list[Release]:
    """Take `quantity` of `sku` out of pending parcels, newest parcel first."""
    releases: list[Release] = []
    for s in reversed(pending):
        for item in [i for i in s.items if i.sku == sku]:
            take = min(quantity, item.quantity)
            if take == 0:
                continue
            item.quantity -= take
            quantity -= take
            releases.append(Release(sku, s.warehouse, take))
            if item.quantity == 0:
                s.items.remove(item)
    return releases


def mark_cancelled(lines: Sequence[OrderLine], sku: str, quantity: int) -> list[CancelledLine]:
    """Count `quantity` of `sku` as cancelled on its lines, newest line first."""
    done: list[CancelledLine] = []
    for ln in reversed(lines):
        if ln.sku == sku and quantity > 0 and ln.open_quantity > 0:
            take = min(quantity, ln.open_quantity)
            ln.cancelled += take
            quantity -= take
            done.append(CancelledLine(sku, take, ln.unit_price))
    return done
