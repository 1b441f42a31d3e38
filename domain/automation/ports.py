"""What the scheduled jobs need from storage, as Protocols (the unit of work offers them as
`uow.purchase_orders` and `uow.scans`). Every scan is bounded by `limit` and served by an
index, so no job ever holds more than one batch of rows in memory."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Protocol

from domain.automation.model import DayFigures, DueOrder, LateOrder, PurchaseOrder, StockState


class PurchaseOrderRepository(Protocol):
    async def add(self, po: PurchaseOrder) -> None:
        """Store and assign `po.id`."""
        ...
    async def get(self, po_id: int, *, for_update: bool = False) -> PurchaseOrder | None: ...
    async def add_all(self, pos: Sequence[PurchaseOrder]) -> None:
        """Store several (one round trip where the database allows); assigns ids."""
        ...
    async def open_for(self, sku: str, warehouse: str) -> list[PurchaseOrder]: ...
    async def open_for_many(self, keys: Sequence[tuple[str, str]]
                            ) -> dict[tuple[str, str], PurchaseOrder]:
        """The oldest open purchase order of each (sku, warehouse) that has one."""
        ...


class JobScans(Protocol):
    async def try_lock(self, job: str) -> bool:
        """Hold `job` for this transaction; False when another process holds it."""
        ...
    async def claim_run(self, job: str, run_key: str, at: datetime) -> bool:
        """Record the run `run_key` of `job`; False when some process already did."""
        ...

    # low stock
    async def stock_state_changes(self, limit: int) -> list[StockState]:
        """Levels at/below their reorder point and not yet marked low, or marked low and
        above it again."""
        ...
    async def mark_low(self, keys: Sequence[tuple[str, str]], at: datetime
                       ) -> set[tuple[str, str]]:
        """Set `low_since` where it is not set yet; returns the (sku, warehouse) it set."""
        ...
    async def clear_low(self, sku: str, warehouse: str) -> bool:
        """Clear `low_since` if stock is above the reorder point; False otherwise."""
        ...
    async def units_sold(
        self, keys: Sequence[tuple[str, str]], since: datetime
    ) -> dict[tuple[str, str], int]:
        """Units of each (sku, warehouse) in orders placed since `since`, cancelled excluded."""
        ...

    # order marks: "once per order and kind"
    async def mark_orders(self, order_ids: Sequence[int], mark: str, at: datetime
                          ) -> set[int]:
        """Record `mark` for each order; returns the ids it was not recorded for before."""
        ...
    async def unshipped_late(
        self, statuses: Sequence[str], now: datetime, since: datetime, mark: str, limit: int
    ) -> list[LateOrder]:
        """Orders in `statuses` whose ship-by time is in [since, now), without `mark`."""
        ...
    async def undelivered_late(
        self, statuses: Sequence[str], today: date, since: date, mark: str, limit: int
    ) -> list[LateOrder]:
        """Orders with a shipment in `statuses` whose ETA is in [since, today), without
        `mark`; one row per order (its earliest missed ETA)."""
        ...
    async def due_review_requests(
        self, statuses: Sequence[str], delivered_from: datetime, delivered_to: datetime,
        mark: str, limit: int,
    ) -> list[DueOrder]:
        """Delivered in the window, not reviewed, no return (other than a rejected one),
        without `mark`."""
        ...
    async def expired_unpaid(self, status: str, placed_before: datetime, limit: int
                             ) -> list[int]: ...
    async def day_figures(self, start: datetime, end: datetime, delay_marks: Sequence[str]
                          ) -> DayFigures: ...
