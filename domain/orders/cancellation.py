"""What cancelling units of an order did: value objects returned by the Order aggregate."""

from __future__ import annotations

from dataclasses import dataclass

from domain.events import CancelledLine


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
