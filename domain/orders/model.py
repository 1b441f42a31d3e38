"""The order aggregate: lines, shipments, the status machine and its promises."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from domain.accounting.model import (
    PaymentStatus,
    PaymentTooLarge,
    RefundTooLarge,
    payment_status,
)
from domain.accounting.tax import split
from domain.errors import InvalidInput, InvalidTransition
from domain.orders.cancellation import Cancellation, mark_cancelled, unreserve
from domain.texts import N_, Text

PENDING_PAYMENT = "pending_payment"
CONFIRMED = "confirmed"
PICKING = "picking"
PACKED = "packed"
SHIPPED = "shipped"
PARTIALLY_SHIPPED = "partially_shipped"
DELIVERED = "delivered"
COMPLETED = "completed"
CANCELLED = "cancelled"
ON_HOLD = "on_hold"
BACKORDERED = "backordered"

STATUSES = (
    PENDING_PAYMENT, CONFIRMED, PICKING, PACKED, SHIPPED, PARTIALLY_SHIPPED,
    DELIVERED, COMPLETED, CANCELLED, ON_HOLD, BACKORDERED,
)

# action -> statuses it is allowed from
_ALLOWED: dict[str, tuple[str, ...]] = {
    "confirm": (PENDING_PAYMENT,),
    "pick": (CONFIRMED,),
    "pack": (CONFIRMED, PICKING),
    "ship": (CONFIRMED, PICKING, PACKED, PARTIALLY_SHIPPED),
    "deliver": (SHIPPED, PARTIALLY_SHIPPED),
    "cancel": (PENDING_PAYMENT, CONFIRMED, PICKING, PACKED, ON_HOLD, BACKORDERED,
               PARTIALLY_SHIPPED),
    "hold": (PENDING_PAYMENT, CONFIRMED, PICKING, PACKED, BACKORDERED),
    "release": (ON_HOLD,),
    "complete": (DELIVERED,),
}
ACTIONS = tuple(_ALLOWED)
PUBLIC_ACTIONS = ("confirm", "pick", "pack", "cancel", "ship", "deliver", "hold", "release")
FLAGS = ("vip", "gift", "replacement")
CHANNELS = ("web", "store", "phone", "marketplace", "import")
PAYMENT_STATUSES = tuple(PaymentStatus)

SHIPMENT_PENDING = "pending"
SHIPMENT_SHIPPED = "shipped"
SHIPMENT_IN_TRANSIT = "in_transit"
SHIPMENT_OUT_FOR_DELIVERY = "out_for_delivery"
SHIPMENT_DELIVERED = "delivered"
SHIPMENT_EXCEPTION = "exception"
SHIPMENT_CANCELLED = "cancelled"
SHIPMENT_IN_FLIGHT = (
    SHIPMENT_SHIPPED, SHIPMENT_IN_TRANSIT, SHIPMENT_OUT_FOR_DELIVERY, SHIPMENT_EXCEPTION
)


def allowed_actions(status: str) -> list[str]:
    return [a for a in PUBLIC_ACTIONS if status in _ALLOWED[a]]


def format_order_number(order_id: int) -> str:
    if order_id < 1:
        raise ValueError(f"order numbers are positive, not {order_id}")
    return f"ORD-{order_id:06d}"


@dataclass(eq=False)
class OrderLine:
    sku: str
    name: str
    quantity: int
    unit_price: Decimal
    unit_cost: Decimal | None = None
    tax_rate: Decimal = Decimal(0)  # percent
    cancelled: int = 0  # units of this line cancelled before they shipped
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


@dataclass(eq=False)
class Order:
    external_id: str
    channel: str
    currency: str
    customer_id: int
    shipping_address: dict[str, Any]
    shipping_method: str
    placed_at: datetime
    promised_ship_by: datetime
    promised_delivery: date
    status: str = CONFIRMED
    payment_status: str = PaymentStatus.PENDING
    flags: list[str] = field(default_factory=list)
    subtotal: Decimal = Decimal(0)
    shipping_total: Decimal = Decimal(0)
    total: Decimal = Decimal(0)
    tax_total: Decimal = Decimal(0)
    prices_include_tax: bool = True
    paid: Decimal = Decimal(0)  # sum of payments, in `currency`
    refunded: Decimal = Decimal(0)  # sum of refunds, in `currency`; never above `paid`
    idempotency_key: str | None = None
    idempotency_scope: str | None = None  # who sent the key (an API token)
    request_fingerprint: str | None = None  # sha256 of the canonical request
    cancel_reason: str | None = None
    held_from: str | None = None
    shipped_at: datetime | None = None
    delivered_at: datetime | None = None
    review_rating: int | None = None
    review_comment: str | None = None
    reviewed_at: datetime | None = None
    lines: list[OrderLine] = field(default_factory=list)
    shipments: list[Shipment] = field(default_factory=list)
    id: int | None = None

    @property
    def number(self) -> str:
        assert self.id is not None, "an order gets its number when stored"
        return format_order_number(self.id)

    def require(self, action: str) -> None:
        if self.status not in _ALLOWED[action]:
            raise InvalidTransition(Text.of(N_("Order %(number)s"), number=self.number),
                                    self.status, action, allowed_actions(self.status))

    # ---- money ---------------------------------------------------------------------------
    @property
    def due(self) -> Decimal:
        """What is still to be paid (decimal in `currency`; 0 when paid in full)."""
        return max(self.charged - self.paid, Decimal(0))

    @property
    def charged(self) -> Decimal:
        """What the order charges now (decimal in `currency`): its total less the units
        cancelled before they shipped, and less its shipping once all of it is cancelled."""
        gone = split(((ln.unit_price * ln.cancelled, ln.tax_rate) for ln in self.lines),
                     self.currency, self.prices_include_tax).gross
        shipping = self.shipping_total if self.status == CANCELLED else Decimal(0)
        return self.total - gone - shipping

    @property
    def refundable(self) -> Decimal:
        """What may still be refunded: paid less refunded (decimal in `currency`)."""
        return self.paid - self.refunded

    def record_payment(self, amount: Decimal) -> bool:
        """Add a payment (decimal in `currency`, > 0, at most `due`); True when it made an
        order that waited for its payment confirmed."""
        if amount > self.due:
            raise PaymentTooLarge(f"Order {self.number}", amount, self.due, self.currency)
        self.paid += amount
        self._settle()
        if self.status == PENDING_PAYMENT and self.paid >= self.charged:
            self.status = CONFIRMED
            return True
        return False

    def record_refund(self, amount: Decimal) -> None:
        """Pay back `amount` (decimal in `currency`, >= 0). Refunds never exceed payments:
        above `refundable` raises RefundTooLarge naming what is left."""
        if amount > self.refundable or (amount > 0 and self.paid <= 0):
            raise RefundTooLarge(f"Order {self.number}", amount, self.refundable,
                                 self.currency)
        self.refunded += amount
        self._settle()

    def total_of(self, units: Iterable[tuple[str, int, Decimal]]) -> Decimal:
        """What (sku, quantity, unit price) units of this order were charged, tax included
        (decimal in `currency`; the tax rate is the line's with that SKU and price)."""
        rates = {(ln.sku, ln.unit_price): ln.tax_rate for ln in self.lines}
        return split(((price * qty, rates.get((sku, price), Decimal(0)))
                      for sku, qty, price in units), self.currency,
                     self.prices_include_tax).gross

    def _settle(self) -> None:
        self.payment_status = payment_status(self.charged, self.paid, self.refunded)

    # ---- transitions -------------------------------------------------------------------
    def confirm_payment(self) -> None:
        self.require("confirm")
        self.status = CONFIRMED

    def start_picking(self) -> None:
        self.require("pick")
        self.status = PICKING

    def mark_packed(self) -> None:
        self.require("pack")
        self.status = PACKED

    def pending_shipments(self) -> list[Shipment]:
        return [s for s in self.shipments if s.status == SHIPMENT_PENDING]

    def ship(
        self, shipment: Shipment, carrier: str, tracking: str, eta: date | None, at: datetime
    ) -> None:
        self.require("ship")
        shipment.status = SHIPMENT_SHIPPED
        shipment.carrier = carrier
        shipment.tracking_number = tracking
        shipment.eta = eta or self.promised_delivery
        shipment.shipped_at = at
        self.status = PARTIALLY_SHIPPED if self.pending_shipments() else SHIPPED
        if self.status == SHIPPED:
            self.shipped_at = at

    def split_shipment(self, shipment: Shipment, parcels: list[dict[str, int]]
                       ) -> list[Shipment]:
        """Divide a pending shipment into parcels (SKU → units each, together exactly its
        items): the first parcel stays in `shipment`, each other one becomes a new pending
        shipment from the same warehouse. Returns the parcels' shipments in order."""
        if shipment.status != SHIPMENT_PENDING:
            raise ValueError("only a pending shipment can be split")
        if len(parcels) <= 1:
            return [shipment]
        result = [shipment]
        shipment.items = [ShipmentItem(sku, n) for sku, n in parcels[0].items()]
        for contents in parcels[1:]:
            extra = Shipment(shipment.warehouse, [ShipmentItem(sku, n)
                                                  for sku, n in contents.items()])
            self.shipments.append(extra)
            result.append(extra)
        return result

    def deliver_shipment(self, shipment: Shipment, at: datetime) -> bool:
        """Mark one shipment delivered; True when the whole order is now delivered."""
        shipment.status = SHIPMENT_DELIVERED
        shipment.delivered_at = at
        live = [s for s in self.shipments if s.status != SHIPMENT_CANCELLED]
        if all(s.status == SHIPMENT_DELIVERED for s in live):
            self.status = DELIVERED
            self.delivered_at = at
            return True
        return False

    def cancel(self, reason: str) -> Cancellation:
        """Cancel every unit that has not shipped and release its reservation.

        A `partially_shipped` order keeps its shipped parcels and then follows them
        (`shipped`, `delivered` when they are); any other cancellable order is `cancelled`.
        """
        self.require("cancel")
        unshipped = self.unshipped_quantities()
        return self._cancel_units(unshipped, reason)

    def cancel_lines(self, wanted: dict[str, int], reason: str) -> Cancellation:
        """Cancel `wanted` {sku: units} of what has not shipped yet.

        Raises InvalidTransition when the order has nothing unshipped to cancel, and
        InvalidInput naming `lines.<sku>` when more units are asked than are unshipped.
        """
        self.require("cancel")
        unshipped = self.unshipped_quantities()
        problems = [(f"lines.{sku}", f"only {unshipped.get(sku, 0)} unshipped can be cancelled")
                    for sku, qty in wanted.items() if qty <= 0 or qty > unshipped.get(sku, 0)]
        if problems or not wanted:
            raise InvalidInput(problems or [("lines", "name at least one SKU and quantity")])
        return self._cancel_units(wanted, reason)

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

    def delivered_units(self) -> dict[tuple[str, str], int]:
        """{(sku, warehouse): units delivered}, in shipment order."""
        units: dict[tuple[str, str], int] = {}
        for s in self.shipments:
            if s.status == SHIPMENT_DELIVERED:
                for item in s.items:
                    key = (item.sku, s.warehouse)
                    units[key] = units.get(key, 0) + item.quantity
        return units

    def last_delivered_at(self) -> datetime | None:
        """When the newest delivered parcel (or, for imported history, the order) arrived."""
        parcels = [s.delivered_at for s in self.shipments if s.delivered_at is not None]
        return max(parcels, default=self.delivered_at)

    def _cancel_units(self, wanted: dict[str, int], reason: str) -> Cancellation:
        pending = self.pending_shipments()
        releases = [r for sku, qty in wanted.items() for r in unreserve(pending, sku, qty)]
        units = [u for sku, qty in wanted.items() for u in mark_cancelled(self.lines, sku, qty)]
        for s in self.pending_shipments():
            if not s.items:
                s.status = SHIPMENT_CANCELLED
        whole = not self.unshipped_quantities() and not any(
            s.status not in (SHIPMENT_PENDING, SHIPMENT_CANCELLED) for s in self.shipments)
        if whole:
            self.status = CANCELLED
        elif not self.unshipped_quantities():
            self._follow_shipped_parcels()
        self.cancel_reason = reason or self.cancel_reason
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

    def hold(self) -> None:
        self.require("hold")
        self.held_from = self.status
        self.status = ON_HOLD

    def release(self) -> None:
        self.require("release")
        self.status = self.held_from or CONFIRMED
        self.held_from = None

    def complete(self) -> None:
        self.require("complete")
        self.status = COMPLETED

    def add_flag(self, flag: str) -> bool:
        if flag in self.flags:
            return False
        self.flags = [*self.flags, flag]
        return True

    def recompute_totals(self, currency_quantize: Any) -> None:
        """Subtotal, tax and total from the lines (decimals in `currency`); the tax is
        added to the total only when the prices do not include it."""
        self.subtotal = currency_quantize(sum((ln.total for ln in self.lines), Decimal(0)))
        self.tax_total = split(((ln.total, ln.tax_rate) for ln in self.lines), self.currency,
                               self.prices_include_tax).tax
        extra_tax = Decimal(0) if self.prices_include_tax else self.tax_total
        self.total = currency_quantize(self.subtotal + self.shipping_total + extra_tax)
        self._settle()


def parse_order_number(text: str) -> int | None:
    """`ORD-000123`, `ord-123`, `#123` or `123` -> 123; anything else -> None."""
    value = text.strip().upper().removeprefix("#").removeprefix("ORD-").removeprefix("ORD")
    if not value.isdigit() or not value.isascii() or len(value) > 12:
        return None
    number = int(value)
    return number if number > 0 else None
