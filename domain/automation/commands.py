"""The scheduled jobs as commands, and the purchase-order command staff use."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

BATCH = 500  # rows one job command handles in one transaction


@dataclass(frozen=True)
class CheckLowStock:
    """Alert once per crossing of the reorder point; draft a purchase order."""

    limit: int = BATCH


@dataclass(frozen=True)
class CheckDelays:
    """Orders not shipped by their ship-by time, shipments past their ETA."""

    timezone: str = "UTC"
    limit: int = BATCH


@dataclass(frozen=True)
class SendReviewRequests:
    limit: int = BATCH


@dataclass(frozen=True)
class ExpireUnpaidOrders:
    limit: int = BATCH


@dataclass(frozen=True)
class SendDailyReport:
    """The summary of `day` (default: yesterday in `timezone`) to the alerts channel."""

    timezone: str = "UTC"
    day: date | None = None


@dataclass(frozen=True)
class ApprovePurchaseOrder:
    purchase_order_id: int
    approved_by: str


@dataclass(frozen=True)
class JobOutcome:
    """What one run of a job did: one line per effect, for people and logs."""

    job: str
    lines: tuple[str, ...] = ()
    more: bool = False  # the batch was full: run the command again
    skipped: str | None = None  # why nothing ran (another process holds the job)

    @property
    def effects(self) -> int:
        return len(self.lines)


@dataclass(frozen=True)
class PurchaseOrderChanged:
    purchase_order_id: int
    number: str
    status: str
    changed: bool = True


@dataclass(frozen=True)
class RaiseStaffAlert:
    """Tell staff in the alerts channel (e.g. a scheduled job keeps failing)."""

    kind: str
    text: str
    dedupe_key: str | None = None
