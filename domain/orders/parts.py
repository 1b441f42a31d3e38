"""What an order is made of: its lines and its parcels (shipments and their items)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from domain.orders.status import SHIPMENT_PENDING


@dataclass(eq=False)
class OrderLine:
    """`quantity` units of `sku` at `unit_price` (decimal in the order's currency; gross or
    net as the order's `prices_include_tax` says), VAT `tax_rate` in percent."""

    sku: str
    name: str
    quantity: int
    unit_price: Decimal
    unit_cost: Decimal | None = None
    tax_rate: Decimal = Decimal(0)  # percent
    cancelled: int = 0  # units of this line cancelled before they shipped
    cancel_reason: str | None = None  # why they were (partial cancellations), else None
    id: int | None = None

    @property
    def total(self) -> Decimal:
        return self.unit_price * self.quantity

    @property
    def open_quantity(self) -> int:
        """Units still owed to the customer (ordered minus cancelled)."""
        return self.quantity - self.cancelled


@dataclass(eq=False)
class ShipmentItem:
    sku: str
    quantity: int
    id: int | None = None


@dataclass(eq=False)
class Shipment:
    warehouse: str
    items: list[ShipmentItem] = field(default_factory=list)
    status: str = SHIPMENT_PENDING
    carrier: str | None = None
    tracking_number: str | None = None
    eta: date | None = None
    shipped_at: datetime | None = None
    delivered_at: datetime | None = None
    service: str | None = None  # the carrier's service (rate shopping)
    box: str | None = None  # the box it was packed in
    weight_g: int | None = None  # goods and tare
    id: int | None = None
