"""Money events: facts the journal books. Every amount is a decimal in `currency` (the
order's), quantised to its ISO 4217 minor unit; `at` is aware UTC."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from domain.events import Event


@dataclass(frozen=True)
class PaymentReceived(Event):
    order_id: int
    payment_id: int
    currency: str
    amount: Decimal
    at: datetime
    method: str | None = None


@dataclass(frozen=True)
class GoodsShipped(Event):
    """Revenue and cost of goods of one parcel: `net` goods, their `tax`, the order's
    `shipping` net of VAT and its `shipping_tax` (on its first parcel only) and the goods'
    `cost`."""

    order_id: int
    shipment_id: int | None  # None: an order imported as already shipped
    currency: str
    at: datetime
    net: Decimal
    tax: Decimal
    shipping: Decimal
    cost: Decimal
    shipping_tax: Decimal = Decimal(0)


@dataclass(frozen=True)
class RefundPaid(Event):
    """Money paid back: `amount` = `net` + `tax` (goods given back) + `shipping` +
    `shipping_tax` (shipping given back, net and its VAT) + `goodwill` (anything above goods
    and shipping). `unshipped`: units that never shipped
    (a cancellation), so nothing was sold: it reverses a prepayment, not a sale."""

    order_id: int
    refund_id: int
    currency: str
    at: datetime
    amount: Decimal
    net: Decimal = Decimal(0)
    tax: Decimal = Decimal(0)
    shipping: Decimal = Decimal(0)
    goodwill: Decimal = Decimal(0)
    return_id: int | None = None
    unshipped: bool = False
    shipping_tax: Decimal = Decimal(0)
    customer_id: int | None = None  # set for `unshipped` refunds: the customer is mailed


@dataclass(frozen=True)
class ReturnRestocked(Event):
    """Returned goods back on the shelf, at their `cost`."""

    order_id: int
    return_id: int
    currency: str
    at: datetime
    cost: Decimal


@dataclass(frozen=True)
class InventoryAdjusted(Event):
    """A stock count corrected by `delta` units (+ found, − shrinkage) of `sku` at
    `warehouse`, worth `cost` (units × the product's cost, decimal in `currency`, the
    product's). Belongs to no order."""

    adjustment_id: int
    sku: str
    warehouse: str
    delta: int
    currency: str
    at: datetime
    cost: Decimal
    order_id: int | None = None


@dataclass(frozen=True)
class OrderPaid(Event):
    """An order that waited for its payment is paid in full and confirmed."""

    order_id: int
    customer_id: int


@dataclass(frozen=True)
class PaymentReminderDue(Event):
    """An unpaid order was placed OMSBOT_PAYMENT_REMINDER_AFTER ago: remind once."""

    order_id: int
    customer_id: int
