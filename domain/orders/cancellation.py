"""Cancelling units of an order before they ship: which reservations go back, which lines
count the units as cancelled and why, and what status the order follows afterwards."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from domain.events import CancelledLine
from domain.orders.parts import OrderLine, Shipment
from domain.orders.status import (
    CANCELLED,
    DELIVERED,
    ON_HOLD,
    SHIPMENT_CANCELLED,
    SHIPMENT_DELIVERED,
    SHIPMENT_PENDING,
    SHIPPED,
)

REASON_MAX = 500  # characters kept of a cancellation reason (orders.cancel_reason)


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


def mark_cancelled(lines: Sequence[OrderLine], sku: str, quantity: int, reason: str = ""
                   ) -> list[CancelledLine]:
    """Count `quantity` of `sku` as cancelled on its lines, newest line first; each line
    touched keeps `reason` (added after an earlier, different one: "damaged; no stock")."""
    done: list[CancelledLine] = []
    for ln in reversed(lines):
        if ln.sku == sku and quantity > 0 and ln.open_quantity > 0:
            take = min(quantity, ln.open_quantity)
            ln.cancelled += take
            quantity -= take
            ln.cancel_reason = joined_reason(ln.cancel_reason, reason)
            done.append(CancelledLine(sku, take, ln.unit_price))
    return done


def joined_reason(before: str | None, reason: str) -> str | None:
    """`reason` after `before` (neither repeated, at most REASON_MAX characters)."""
    reason = reason.strip()
    if not reason or (before and reason in before.split("; ")):
        return before
    return (f"{before}; {reason}" if before else reason)[:REASON_MAX]


class UnitCancelling:
    """Mixed into `Order` (which declares these fields as a dataclass): the rules of
    cancelling units that have not shipped, whole orders and partial ones alike."""

    status: str
    held_from: str | None
    cancel_reason: str | None
    shipped_at: datetime | None
    delivered_at: datetime | None
    lines: list[OrderLine]
    shipments: list[Shipment]

    def pending_shipments(self) -> list[Shipment]:
        return [s for s in self.shipments if s.status == SHIPMENT_PENDING]

    def unshipped_quantities(self) -> dict[str, int]:
        """{sku: units ordered, not cancelled and not in a parcel that left}."""
        left = Counter[str]()
        for ln in self.lines:
            left[ln.sku] += ln.open_quantity
        for s in self.shipments:
            if s.status not in (SHIPMENT_PENDING, SHIPMENT_CANCELLED):
                for item in s.items:
                    left[item.sku] -= item.quantity
        return {sku: qty for sku, qty in left.items() if qty > 0}

    def _cancel_units(self, wanted: dict[str, int], reason: str) -> Cancellation:
        """Cancel `wanted` {sku: units} (all unshipped, checked by the caller). The order
        is `cancelled` when nothing of it ever shipped, and only then takes `reason` as
        its own; otherwise the reason stays with the cancelled lines."""
        whole = wanted == self.unshipped_quantities() and not any(
            s.status not in (SHIPMENT_PENDING, SHIPMENT_CANCELLED) for s in self.shipments)
        pending = self.pending_shipments()
        releases = [r for sku, qty in wanted.items() for r in unreserve(pending, sku, qty)]
        line_reason = "" if whole else reason
        units = [u for sku, qty in wanted.items()
                 for u in mark_cancelled(self.lines, sku, qty, line_reason)]
        for s in self.pending_shipments():
            if not s.items:
                s.status = SHIPMENT_CANCELLED
        if whole:
            self.status = CANCELLED
            self.cancel_reason = joined_reason(None, reason) or self.cancel_reason
        elif not self.unshipped_quantities():
            self._follow_shipped_parcels()
        if self.status != ON_HOLD:
            self.held_from = None
        return Cancellation(tuple(releases), tuple(units), whole)

    def _follow_shipped_parcels(self) -> None:
        live = [s for s in self.shipments if s.status != SHIPMENT_CANCELLED]
        self.shipped_at = max((s.shipped_at for s in live if s.shipped_at), default=None)
        if all(s.status == SHIPMENT_DELIVERED for s in live):
            self.status = DELIVERED
            self.delivered_at = max((s.delivered_at for s in live if s.delivered_at),
                                    default=None)
        else:
            self.status = SHIPPED
