"""Repositories of the money side: payments (facts) and the journal (one INSERT per
command, as an executemany)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import exists, insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from domain.accounting.journal import JournalLine
from domain.accounting.model import Payment
from domain.automation.model import DueOrder
from storage import core_exec, orm
from storage.orm_money import journal_lines, payments

_INSERT_PAYMENT = insert(payments).returning(payments.c.id)
_INSERT_JOURNAL = insert(journal_lines)


class SqlPayments:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, payment: Payment) -> None:
        """INSERT the fact (Core, RETURNING its id into `payment.id`): payments are never
        updated, so the session need not track it."""
        values = {c.key: getattr(payment, c.key) for c in payments.columns if c.key != "id"}
        payment.id = int((await core_exec.execute_fixed(self.session, _INSERT_PAYMENT, values)
                          ).scalar_one())

    async def for_order(self, order_id: int) -> list[Payment]:
        return list(await self.session.scalars(select(Payment).where(
            payments.c.order_id == order_id).order_by(payments.c.id)))

    async def awaiting(self, status: str, placed_from: datetime, placed_to: datetime,
                       mark: str, limit: int) -> list[DueOrder]:
        """Served by ix_orders_status_id (unpaid orders are few: they expire)."""
        o, m = orm.orders, orm.order_marks
        marked = exists().where(m.c.order_id == o.c.id, m.c.mark == mark)
        rows = await self.session.execute(
            select(o.c.id, o.c.customer_id)
            .where(o.c.status == status, o.c.placed_at >= placed_from,
                   o.c.placed_at <= placed_to, ~marked)
            .order_by(o.c.id).limit(limit))
        return [DueOrder(row.id, row.customer_id) for row in rows]


def _row(line: JournalLine) -> dict[str, object]:
    """A journal line's column values (a shallow copy: asdict would deep-copy each)."""
    return dict(line.__dict__)


class SqlJournal:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, lines: Sequence[JournalLine]) -> None:
        if lines:
            await core_exec.execute_fixed(self.session, _INSERT_JOURNAL,
                                          [_row(ln) for ln in lines])
