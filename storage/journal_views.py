"""The journal as people and spreadsheets read it (CONTRACT §9 columns)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import select

from domain.money import quantize
from domain.orders.model import format_order_number
from domain.queries import View
from domain.returns.model import format_rma
from storage.engine import Database
from storage.orm_money import journal_lines as j


def _money(amount: Decimal | None, currency: str) -> str | None:
    return None if amount is None else str(quantize(amount, currency))


async def journal_lines(db: Database, start: date, end: date, base_currency: str
                        ) -> list[View]:
    """Lines of the days `start`..`end` (both included), in the order they were written:
    {date, entry, account, debit, credit, currency, debit_base, credit_base,
    base_currency, order, rma, memo}; amounts are decimal strings with their currency's
    ISO 4217 digits (base amounts in `base_currency`; None where no rate was known)."""
    stmt = select(j).where(j.c.day >= start, j.c.day <= end).order_by(j.c.day, j.c.id)
    async with db.read_sessions() as s:
        rows = list(await s.execute(stmt))
    return [{
        "date": r.day.isoformat(), "entry": r.entry, "account": r.account,
        "debit": _money(r.debit, r.currency), "credit": _money(r.credit, r.currency),
        "currency": r.currency,
        "debit_base": _money(r.debit_base, base_currency),
        "credit_base": _money(r.credit_base, base_currency),
        "base_currency": base_currency,
        "order": format_order_number(r.order_id) if r.order_id else None,
        "rma": format_rma(r.return_id) if r.return_id else None,
        "memo": r.memo,
    } for r in rows]
