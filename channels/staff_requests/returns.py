"""Staff requests about returns: the open ones, and approving, rejecting, receiving and
refunding one."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Literal, get_args

from channels.staff_requests.base import Change, Query

ReturnDecision = Literal["approve", "reject", "receive", "refund"]
RETURN_DECISIONS: tuple[ReturnDecision, ...] = get_args(ReturnDecision)


@dataclass(frozen=True, slots=True)
class ListReturns(Query):
    command = "returns"


@dataclass(frozen=True, slots=True)
class ReturnAction(Change):
    command = "return"
    action: ReturnDecision
    rma: int
    warehouse: str | None = None  # receive: where the units go back to
    amount: Decimal | None = None  # refund only: decimal in the order's currency
