"""Commands of accounting: exchange rates."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal


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
