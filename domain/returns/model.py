"""Returns (RMAs): lines, reason, the return status machine and the refund amount."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal

from domain.errors import InvalidTransition
from domain.texts import N_, Text

REQUESTED = "requested"
APPROVED = "approved"
REJECTED = "rejected"
RECEIVED = "received"
REFUNDED = "refunded"
CLOSED = "closed"
RETURN_STATUSES = (REQUESTED, APPROVED, REJECTED, RECEIVED, REFUNDED, CLOSED)

_ALLOWED: dict[str, tuple[str, ...]] = {
    "approve": (REQUESTED,),
    "reject": (REQUESTED,),
    "receive": (APPROVED,),
    "refund": (RECEIVED,),
    "close": (REJECTED, REFUNDED, RECEIVED),
}
RETURN_ACTIONS = tuple(_ALLOWED)
_NEXT = {"approve": APPROVED, "reject": REJECTED, "receive": RECEIVED, "refund": REFUNDED,
         "close": CLOSED}


def allowed_return_actions(status: str) -> list[str]:
    return [a for a, froms in _ALLOWED.items() if status in froms]


def format_rma(return_id: int) -> str:
    if return_id < 1:
        raise ValueError(f"return numbers are positive, not {return_id}")
    return f"RMA-{return_id:06d}"


@dataclass(eq=False)
class ReturnLine:
    """Units of one order line coming back; `unit_price` is that line's (decimal in the
    order's currency, as charged: with or without tax as the order's prices are)."""

    sku: str
    quantity: int
    unit_price: Decimal
    warehouse: str | None = None
    order_line_id: int | None = None
    tax_rate: Decimal = Decimal(0)  # percent, the order line's
    id: int | None = None


@dataclass(eq=False)
class ReturnRequest:
    order_id: int
    reason: str
    currency: str
    created_at: datetime
    status: str = REQUESTED
    exchange: bool = False
    channel: str = "api"
    refund_amount: Decimal | None = None
    replacement_order_id: int | None = None
    updated_at: datetime | None = None
    lines: list[ReturnLine] = field(default_factory=list)
    id: int | None = None

    @property
    def rma(self) -> str:
        assert self.id is not None
        return format_rma(self.id)

    def apply(self, action: str, at: datetime) -> None:
        if self.status not in _ALLOWED.get(action, ()):
            raise InvalidTransition(Text.of(N_("Return %(rma)s"), rma=self.rma), self.status,
                                    action, allowed_return_actions(self.status))
        self.status = _NEXT[action]
        self.updated_at = at


def parse_rma(text: str) -> int | None:
    """`RMA-000045`, `rma-45`, `#45` or `45` -> 45; anything else -> None."""
    value = text.strip().upper().removeprefix("#").removeprefix("RMA-").removeprefix("RMA")
    if not value.isdigit() or not value.isascii() or len(value) > 12:
        return None
    number = int(value)
    return number if number > 0 else None


def split_by_origin(wanted: dict[str, int], units: dict[tuple[str, str | None], int]
                    ) -> dict[tuple[str, str | None], int]:
    """Spread {sku: units to return} over {(sku, warehouse): units returnable}, in order.

    Each unit keeps the warehouse its parcel left from, so a split order comes back split.
    """
    lines: dict[tuple[str, str | None], int] = {}
    for sku, quantity in wanted.items():
        for (unit_sku, warehouse), available in units.items():
            if unit_sku == sku and quantity > 0:
                take = min(quantity, available)
                lines[(sku, warehouse)] = take
                quantity -= take
    return lines


def is_in_return_window(delivered_at: datetime | None, now: datetime, window: timedelta) -> bool:
    return delivered_at is not None and now - delivered_at <= window
