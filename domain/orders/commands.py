"""Commands on orders: imperative, validated data."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any


@dataclass(frozen=True)
class CustomerDetails:
    email: str
    name: str = ""
    phone: str | None = None
    locale: str | None = None


@dataclass(frozen=True)
class LineRequest:
    sku: str
    quantity: int
    unit_price: Decimal | None = None
    unit_cost: Decimal | None = None
    tax_rate: Decimal | None = None  # VAT percent; None: the product's


@dataclass(frozen=True)
class PlaceOrder:
    external_id: str
    channel: str
    currency: str
    customer: CustomerDetails
    shipping_address: dict[str, Any]
    lines: tuple[LineRequest, ...]
    shipping_method: str | None = None
    # paid: one payment of the total; pending (the default: no payment info means nothing
    # was received): none yet, the order awaits its payment (CONTRACT §4, §9)
    payment_status: str = "pending"
    flags: tuple[str, ...] = ()
    placed_at: datetime | None = None
    idempotency_key: str | None = None
    idempotency_scope: str | None = None  # who sent the key: keys are unique per API token
    # history import only: an order that has already left the building
    status: str | None = None
    shipped_at: datetime | None = None
    delivered_at: datetime | None = None
    notify: bool = True  # False: an imported order that nobody hears of


@dataclass(frozen=True)
class PlaceOrderResult:
    order_id: int
    number: str
    created: bool
    view: dict[str, Any] | None = None  # the new order as stored, so callers need no re-read


@dataclass(frozen=True)
class ConfirmPayment:
    """Staff confirm that the order is paid: what is still due is recorded as paid."""

    order_id: int


@dataclass(frozen=True)
class StartPicking:
    order_id: int


@dataclass(frozen=True)
class MarkPacked:
    order_id: int


@dataclass(frozen=True)
class ShipOrder:
    """Without a tracking number, fulfilment packs, rate-shops and buys the label (within
    `carrier` when one is named)."""

    order_id: int
    carrier: str = ""
    tracking_number: str = ""
    eta: date | None = None
    warehouse: str | None = None


@dataclass(frozen=True)
class DeliverOrder:
    order_id: int


@dataclass(frozen=True)
class CancelLine:
    sku: str
    quantity: int


@dataclass(frozen=True)
class CancelOrder:
    """Cancel what has not shipped: everything (`lines` None), or only `lines` (a partial
    cancellation; an empty tuple names no units and is refused, never the whole order)."""

    order_id: int
    reason: str = ""
    lines: tuple[CancelLine, ...] | None = None


@dataclass(frozen=True)
class HoldOrder:
    order_id: int


@dataclass(frozen=True)
class ReleaseOrder:
    order_id: int


@dataclass(frozen=True)
class FlagOrder:
    order_id: int
    flag: str


@dataclass(frozen=True)
class RecordTrackingEvent:
    tracking_number: str
    status: str  # in_transit | out_for_delivery | delivered | exception
    eta: date | None = None
    at: datetime | None = None


@dataclass(frozen=True)
class RecordReview:
    order_id: int
    rating: int
    comment: str = ""


@dataclass(frozen=True)
class OrderChanged:
    """What an order action returns to the caller."""

    order_id: int
    number: str
    status: str
    changed: bool = True
