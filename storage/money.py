"""Repositories of the money side: payments (facts) and the journal (one INSERT per
command, as an executemany)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict

from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from domain.accounting.journal import JournalLine
from domain.accounting.model import Payment
from storage.orm_money import journal_lines, payments


class SqlPayments:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, payment: Payment) -> None:
        self.session.add(payment)
        await self.session.flush()

    async def for_order(self, order_id: int) -> list[Payment]:
        return list(await self.session.scalars(select(Payment).where(
            payments.c.order_id == order_id).order_by(payments.c.id)))


class SqlJournal:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, lines: Sequence[JournalLine]) -> None:
        if lines:
            await self.session.execute(insert(journal_lines), [asdict(ln) for ln in lines])
