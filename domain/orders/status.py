"""The order's status machine as data: statuses, which action each allows, order numbers."""

from __future__ import annotations

from domain.accounting.model import PaymentStatus

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
ALLOWED: dict[str, tuple[str, ...]] = {
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
ACTIONS = tuple(ALLOWED)
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
    """The public actions an order in `status` allows, in CONTRACT §4 order."""
    return [a for a in PUBLIC_ACTIONS if status in ALLOWED[a]]


def format_order_number(order_id: int) -> str:
    """123 → `ORD-000123`; ValueError for a number below 1."""
    if order_id < 1:
        raise ValueError(f"order numbers are positive, not {order_id}")
    return f"ORD-{order_id:06d}"


def parse_order_number(text: str) -> int | None:
    """`ORD-000123`, `ord-123`, `#123` or `123` -> 123; anything else -> None."""
    value = text.strip().upper().removeprefix("#").removeprefix("ORD-").removeprefix("ORD")
    if not value.isdigit() or not value.isascii() or len(value) > 12:
        return None
    number = int(value)
    return number if number > 0 else None
