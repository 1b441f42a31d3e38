"""Domain events: facts, named in the past tense, raised by handlers."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from domain.texts import Text


class Event:
    """Marker base class."""


@dataclass(frozen=True)
class OrderPlaced(Event):
    order_id: int
    customer_id: int
    status: str
    flags: tuple[str, ...] = ()
    notify_customer: bool = True


@dataclass(frozen=True)
class OrderBackordered(Event):
    order_id: int
    skus: tuple[str, ...]


@dataclass(frozen=True)
class OrderAllocated(Event):
    """A backordered order got its stock."""

    order_id: int


@dataclass(frozen=True)
class OrderShipped(Event):
    order_id: int
    customer_id: int
    shipment_id: int


@dataclass(frozen=True)
class ShipmentOutForDelivery(Event):
    order_id: int
    customer_id: int
    shipment_id: int


@dataclass(frozen=True)
class ShipmentProblem(Event):
    order_id: int
    shipment_id: int
    detail: str


@dataclass(frozen=True)
class OrderDelivered(Event):
    order_id: int
    customer_id: int


@dataclass(frozen=True)
class OrderCancelled(Event):
    order_id: int
    customer_id: int
    reason: str
    notify_customer: bool = False  # staff or expiry cancelled it: the customer is mailed


@dataclass(frozen=True)
class CancelledLine:
    sku: str
    quantity: int
    unit_price: Decimal


@dataclass(frozen=True)
class OrderLinesCancelled(Event):
    """Units of an order were cancelled before they shipped (a whole order or some lines).

    `lines` are the units taken off, priced as ordered; a paid order is owed their refund.
    """

    order_id: int
    customer_id: int
    currency: str
    lines: tuple[CancelledLine, ...]
    whole_order: bool = False
    reason: str = ""
    notify_customer: bool = False  # staff cancelled some units: the customer is told which


@dataclass(frozen=True)
class OrderDelayed(Event):
    order_id: int
    customer_id: int
    stage: str  # "ship" (not shipped by ship-by) or "delivery" (past its ETA)
    new_estimate: date


@dataclass(frozen=True)
class ReturnRequested(Event):
    return_id: int
    order_id: int
    customer_id: int
    reason: str
    channel: str


@dataclass(frozen=True)
class ReturnDecided(Event):
    """approved, rejected, received or refunded."""

    return_id: int
    order_id: int
    customer_id: int
    status: str
    amount: Decimal | None = None


@dataclass(frozen=True)
class ReviewRecorded(Event):
    order_id: int
    rating: int


@dataclass(frozen=True)
class CustomerMessageReceived(Event):
    sender: str
    subject: str
    text: str
    order_id: int | None = None
    problem: str | None = None  # why it was refused (REFUSAL_REASONS), when it was
    sender_name: str = ""  # the display name, decoded ("Turing, Alan")
    note: Text | None = None  # for staff: why it was not acted on ("not delivered yet")


@dataclass(frozen=True)
class LinkCodeIssued(Event):
    customer_id: int
    email: str
    code: str
    expires_minutes: int


@dataclass(frozen=True)
class StaffAlertRaised(Event):
    """Anything staff must see that no more specific event covers."""

    kind: str
    text: str
    data: dict[str, Any] = field(default_factory=dict)
    dedupe_key: str | None = None


@dataclass(frozen=True)
class ReviewRequested(Event):
    order_id: int
    customer_id: int


@dataclass(frozen=True)
class PurchaseOrderApproved(Event):
    """Approved by staff: the purchase order goes to the supplier by e-mail."""

    purchase_order_id: int
    number: str
    sku: str
    product_name: str
    quantity: int
    supplier_email: str
    warehouse: dict[str, Any]  # {code, name, line1, city, postal_code, country}
