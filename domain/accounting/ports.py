"""What the money side needs from storage."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Protocol

from domain.accounting.journal import JournalLine
from domain.accounting.model import Payment
from domain.automation.model import DueOrder


class PaymentRepository(Protocol):
    async def add(self, payment: Payment) -> None:
        """Store the payment or refund and assign `payment.id`."""
        ...

    async def for_order(self, order_id: int) -> list[Payment]: ...

    async def awaiting(self, status: str, placed_from: datetime, placed_to: datetime,
                       mark: str, limit: int) -> list[DueOrder]:
        """Orders in `status` placed in [placed_from, placed_to], without `mark`, oldest
        first (the unpaid orders a payment reminder is due for)."""
        ...


class JournalRepository(Protocol):
    async def add(self, lines: Sequence[JournalLine]) -> None:
        """Append the lines (all of one command, in one statement)."""
        ...
