"""Purchase orders, and the rows the scheduled scans hand to their handlers."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal

from domain.errors import InvalidTransition
from domain.texts import N_, Text

PO_DRAFT = "draft"
PO_APPROVED = "approved"
PO_RECEIVED = "received"
PO_CANCELLED = "cancelled"
PO_OPEN = (PO_DRAFT, PO_APPROVED)
PO_STATUSES = (PO_DRAFT, PO_APPROVED, PO_RECEIVED, PO_CANCELLED)

SALES_WINDOW_DAYS = 30


def format_po_number(po_id: int) -> str:
    return f"PO-{po_id:06d}"


def parse_po_number(text: str) -> int | None:
    """`PO-000012`, `po-12`, `#12` or `12` -> 12; anything else -> None."""
    value = text.strip().upper().removeprefix("#").removeprefix("PO-").removeprefix("PO")
    if not value.isdigit() or not value.isascii() or len(value) > 12:
        return None
    number = int(value)
    return number if number > 0 else None


@dataclass(eq=False)
class PurchaseOrder:
    """A request to a supplier for more of one SKU, delivered to one warehouse."""

    sku: str
    warehouse: str
    quantity: int
    supplier_email: str | None
    created_at: datetime
    status: str = PO_DRAFT
    approved_at: datetime | None = None
    approved_by: str | None = None
    received_at: datetime | None = None
    id: int | None = None

    @property
    def number(self) -> str:
        assert self.id is not None, "a purchase order gets its number when stored"
        return format_po_number(self.id)

    def approve(self, by: str, at: datetime) -> bool:
        """Draft -> approved; False when it already was approved (a repeated click)."""
        if self.status == PO_APPROVED:
            return False
        if self.status != PO_DRAFT:
            raise InvalidTransition(Text.of(N_("Purchase order %(number)s"), number=self.number),
                                    self.status, "approve", [])
        self.status = PO_APPROVED
        self.approved_at = at
        self.approved_by = by
        return True

    def close_on_receipt(self, at: datetime) -> None:
        """Stock arrived: an approved order is received; a draft nobody sent is moot."""
        self.status = PO_RECEIVED if self.status == PO_APPROVED else PO_CANCELLED
        self.received_at = at


@dataclass(frozen=True)
class StockState:
    """A stock level whose low/normal state changed since the last scan."""

    sku: str
    warehouse: str
    product_name: str
    available: int
    reorder_point: int
    reorder_quantity: int
    supplier_email: str | None
    low_since: datetime | None

    @property
    def is_low(self) -> bool:
        return self.available <= self.reorder_point


@dataclass(frozen=True)
class LateOrder:
    order_id: int
    customer_id: int
    due: datetime | date  # the ship-by time, or the shipment's ETA
    transit_days: int


@dataclass(frozen=True)
class DueOrder:
    order_id: int
    customer_id: int


@dataclass(frozen=True)
class DayFigures:
    """What happened in a period besides sales (those are domain.accounting.sales)."""

    shipped: int
    delivered: int
    delayed: int
    returns: int
    low_stock: int  # stock levels at or below their reorder point now
    low_stock_new: int  # of which crossed during the day
    low_stock_examples: tuple[tuple[str, str], ...] = ()  # (sku, warehouse), newest first


def daily_rate(units: int, days: int = SALES_WINDOW_DAYS) -> Decimal:
    return (Decimal(units) / days).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def days_of_cover(available: int, units: int, days: int = SALES_WINDOW_DAYS) -> Decimal | None:
    """How many days `available` lasts at the recent sales rate; None without sales."""
    if units <= 0:
        return None
    cover = Decimal(max(available, 0)) * days / units
    return cover.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
