"""Staff requests about money: a payment received for an order, and exchange rates."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from channels.staff_requests.base import Change, Query


@dataclass(frozen=True, slots=True)
class PayOrder(Change):
    """Money received for an order: `amount` is a decimal in the order's currency."""

    command = "pay"
    number: int
    amount: Decimal
    method: str | None = None


@dataclass(frozen=True, slots=True)
class ShowFxRates(Query):
    command = "fx"


@dataclass(frozen=True, slots=True)
class SetFxRate(Change):
    """1 `currency` = `rate` base currency from today (the shop's time zone) on."""

    command = "fx"
    currency: str
    rate: Decimal
