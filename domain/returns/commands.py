"""Commands on returns."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class ReturnLineRequest:
    sku: str
    quantity: int


@dataclass(frozen=True)
class RequestReturn:
    order_id: int
    reason: str
    lines: tuple[ReturnLineRequest, ...] = ()  # empty: everything delivered
    exchange: bool = False
    channel: str = "api"
    requested_by_email: str | None = None  # customer channels: must own the order


@dataclass(frozen=True)
class DecideReturn:
    return_id: int
    action: str  # approve | reject | receive | refund | close
    warehouse: str | None = None  # receive: restock here instead of where each unit shipped from
    amount: Decimal | None = None  # refund only: decimal in the order's currency


@dataclass(frozen=True)
class ReturnResult:
    return_id: int
    rma: str
    status: str
    replacement_order_id: int | None = None
