"""The order aggregate: its fields, the status machine's transitions and its parcels.

The rest of the aggregate lives by context: statuses and the transitions table in
`status`, lines and parcels in `parts`, money (charges, VAT, payments, refunds) in
`charges`, cancelling unshipped units in `cancellation`. Their names are re-exported
here, so `domain.orders.model` stays the one place callers import the order from.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from domain.accounting.model import PaymentStatus
from domain.errors import InvalidInput, InvalidTransition, Message
from domain.money import quantize
from domain.orders.cancellation import Cancellation, UnitCancelling
from domain.orders.charges import OrderCharges
from domain.orders.parts import OrderLine, Shipment, ShipmentItem
from domain.orders.status import (
    ACTIONS,
    ALLOWED,
    BACKORDERED,
    CANCELLED,
    CHANNELS,
    COMPLETED,
    CONFIRMED,
    DELIVERED,
    FLAGS,
    ON_HOLD,
    PACKED,
    PARTIALLY_SHIPPED,
    PAYMENT_STATUSES,
    PENDING_PAYMENT,
    PICKING,
    PUBLIC_ACTIONS,
    SHIPMENT_CANCELLED,
    SHIPMENT_DELIVERED,
    SHIPMENT_EXCEPTION,
    SHIPMENT_IN_FLIGHT,
    SHIPMENT_IN_TRANSIT,
    SHIPMENT_OUT_FOR_DELIVERY,
    SHIPMENT_PENDING,
    SHIPMENT_SHIPPED,
    SHIPPED,
    STATUSES,
    allowed_actions,
    format_order_number,
    parse_order_number,
)
from domain.texts import N_, Text

__all__ = [
    "ACTIONS", "BACKORDERED", "CANCELLED", "CHANNELS", "COMPLETED", "CONFIRMED", "DELIVERED",
    "FLAGS", "ON_HOLD", "PACKED", "PARTIALLY_SHIPPED", "PAYMENT_STATUSES", "PENDING_PAYMENT",
    "PICKING", "PUBLIC_ACTIONS", "SHIPMENT_CANCELLED", "SHIPMENT_DELIVERED",
    "SHIPMENT_EXCEPTION", "SHIPMENT_IN_FLIGHT", "SHIPMENT_IN_TRANSIT",
    "SHIPMENT_OUT_FOR_DELIVERY", "SHIPMENT_PENDING", "SHIPMENT_SHIPPED", "SHIPPED", "STATUSES",
    "Cancellation", "Order", "OrderLine", "Shipment", "ShipmentItem", "allowed_actions",
    "format_order_number", "parse_order_number",
]


@dataclass(eq=False)
class Order(OrderCharges, UnitCancelling):
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
        if self.status not in ALLOWED[action]:
            raise InvalidTransition(Text.of(N_("Order %(number)s"), number=self.number),
                                    self.status, action, allowed_actions(self.status))

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
        return self._cancelled(self._cancel_units(self.unshipped_quantities(), reason))

    def cancel_lines(self, wanted: dict[str, int], reason: str) -> Cancellation:
        """Cancel `wanted` {sku: units} of what has not shipped yet.

        Raises InvalidTransition when the order has nothing unshipped to cancel, and
        InvalidInput naming `lines.<sku>` when more units are asked than are unshipped.
        An empty `wanted` names no units: InvalidInput on `lines`, never the whole order.
        """
        self.require("cancel")
        if not wanted:
            raise InvalidInput([("lines", Text(N_("name at least one SKU and quantity; "
                                                  "leave lines out to cancel the whole "
                                                  "order")))])
        unshipped = self.unshipped_quantities()
        problems: list[tuple[str, Message]] = [
            (f"lines.{sku}", Text(N_("cancel at least 1 unit")) if qty <= 0 else
             Text.of(N_("only %(count)s unshipped can be cancelled"),
                     count=unshipped.get(sku, 0)))
            for sku, qty in wanted.items() if qty <= 0 or qty > unshipped.get(sku, 0)]
        if problems:
            raise InvalidInput(problems)
        return self._cancelled(self._cancel_units(wanted, reason))

    def _cancelled(self, done: Cancellation) -> Cancellation:
        """After a partial cancellation the totals say what the order charges now; a whole
        cancellation keeps them as the record of what was cancelled (it charges nothing)."""
        if not done.whole_order:
            self.recompute_totals(lambda amount: quantize(amount, self.currency))
        return done

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
