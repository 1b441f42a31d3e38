"""What the money side needs from storage."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from domain.accounting.journal import JournalLine
from domain.accounting.model import Payment


class PaymentRepository(Protocol):
    async def add(self, payment: Payment) -> None:
        """Store the payment or refund and assign `payment.id`."""
        ...

    async def for_order(self, order_id: int) -> list[Payment]: ...


class JournalRepository(Protocol):
    async def add(self, lines: Sequence[JournalLine]) -> None:
        """Append the lines (all of one command, in one statement)."""
        ...
