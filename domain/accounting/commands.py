"""Commands of accounting: payments received and exchange rates."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
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


@dataclass(frozen=True)
class SetFxRate:
    """1 `currency` = `rate` base currency from `valid_from` (a day in `timezone`; None:
    today there) until the currency's next rate."""

    currency: str
    rate: Decimal | str
    valid_from: date | None = None
    timezone: str = "UTC"


@dataclass(frozen=True)
class FxRateSet:
    """The rate stored; `previous`: the rate that was in force on `valid_from` before (None:
    there was none); `created`: no rate of this currency started on that day before."""

    currency: str
    rate: Decimal
    valid_from: date
    previous: Decimal | None
    created: bool
