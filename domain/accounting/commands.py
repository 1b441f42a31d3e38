"""Commands on money: payments received."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal


@dataclass(frozen=True)
class RecordPayment:
    """Money received for an order: `amount` is a decimal in `currency` (None: the
    order's), > 0 and at most what is due; `at` aware UTC (None: now)."""

    order_id: int
    amount: Decimal
    currency: str | None = None
    method: str | None = None
    reference: str | None = None
    at: datetime | None = None


@dataclass(frozen=True)
class PaymentRecorded:
    order_id: int
    number: str
    payment_id: int | None  # None: nothing was due
    amount: Decimal
    payment_status: str
    status: str
