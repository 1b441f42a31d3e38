"""Staff requests about orders: show and list them, take one by phone or in store, ship,
deliver, cancel, hold, release and flag."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Literal, get_args

from channels.staff_requests.base import Change, Query

OrderStatus = Literal[
    "pending_payment", "confirmed", "picking", "packed", "shipped", "partially_shipped",
    "delivered", "completed", "cancelled", "on_hold", "backordered",
]
OrderChannel = Literal["phone", "store"]
OrderFlag = Literal["vip", "gift", "replacement"]

ORDER_STATUSES: tuple[OrderStatus, ...] = get_args(OrderStatus)
ORDER_CHANNELS: tuple[OrderChannel, ...] = get_args(OrderChannel)
ORDER_FLAGS: tuple[OrderFlag, ...] = get_args(OrderFlag)


@dataclass(frozen=True, slots=True)
class ShowOrder(Query):
    command = "order"
    number: int


@dataclass(frozen=True, slots=True)
class ListOrders(Query):
    command = "orders"
    status: OrderStatus | None = None


@dataclass(frozen=True, slots=True)
class NewOrder(Change):
    command = "new"
    email: str
    items: tuple[tuple[str, int], ...]
    channel: OrderChannel = "phone"


@dataclass(frozen=True, slots=True)
class ShipOrder(Change):
    """Without a carrier and tracking number omsbot buys the chosen rate and the label."""

    command = "ship"
    number: int
    carrier: str = ""
    tracking: str = ""
    eta: date | None = None


@dataclass(frozen=True, slots=True)
class DeliverOrder(Change):
    command = "deliver"
    number: int


@dataclass(frozen=True, slots=True)
class CancelOrder(Change):
    command = "cancel"
    number: int
    reason: str = ""
    items: tuple[tuple[str, int], ...] = ()  # SKU:QTY to cancel; empty: all that is unshipped


@dataclass(frozen=True, slots=True)
class HoldOrder(Change):
    command = "hold"
    number: int


@dataclass(frozen=True, slots=True)
class ReleaseOrder(Change):
    command = "release"
    number: int


@dataclass(frozen=True, slots=True)
class FlagOrder(Change):
    command = "flag"
    number: int
    flag: OrderFlag
