"""The journal as people and spreadsheets read it (CONTRACT §9 columns)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from itertools import groupby
from typing import Any

from sqlalchemy import select

from domain.accounting.journal import JournalLine, in_base
from domain.money import quantize
from domain.orders.model import format_order_number
from domain.queries import View
from domain.returns.model import format_rma
from storage.engine import Database
from storage.fx import SqlFxRates
from storage.orm_money import journal_lines as j


def _money(amount: Decimal | None, currency: str) -> str | None:
    return None if amount is None else str(quantize(amount, currency))


def _line(r: Any) -> JournalLine:
    return JournalLine(r.day, r.at, r.entry, r.account, r.debit, r.credit, r.currency,
                       r.debit_base, r.credit_base, r.order_id, r.return_id, r.memo)


async def _rated(lines: Iterable[JournalLine], fx: SqlFxRates, base_currency: str
                 ) -> list[JournalLine]:
    """`lines` (in order), each entry booked without a base amount converted now at its
    day's rate when one has been set since; entries that still have none stay empty."""
    found: list[JournalLine] = []
    for (_entry, currency, day), grouped in groupby(
            lines, key=lambda ln: (ln.entry, ln.currency, ln.day)):
        entry = list(grouped)
        if any(ln.debit_base is None for ln in entry):
            rate = await fx.rate_on(currency, day)
            found += entry if rate is None else in_base(entry, rate, base_currency)
        else:
            found += entry
    return found


async def journal_lines(db: Database, start: date, end: date, base_currency: str
                        ) -> list[View]:
    """Lines of the days `start`..`end` (both included), in the order they were written:
    {date, entry, account, debit, credit, currency, debit_base, credit_base,
    base_currency, order, rma, memo}; amounts are decimal strings with their currency's
    ISO 4217 digits (base amounts in `base_currency` at the day's rate, converted now when
    the rate was set after the line was booked; None where there still is none)."""
    stmt = select(j).where(j.c.day >= start, j.c.day <= end).order_by(j.c.day, j.c.id)
    async with db.read_sessions() as s:
        rows = list(await s.execute(stmt))
        lines = await _rated(map(_line, rows), SqlFxRates(s, base_currency), base_currency)
    return [{
        "date": ln.day.isoformat(), "entry": ln.entry, "account": ln.account,
        "debit": _money(ln.debit, ln.currency), "credit": _money(ln.credit, ln.currency),
        "currency": ln.currency,
        "debit_base": _money(ln.debit_base, base_currency),
        "credit_base": _money(ln.credit_base, base_currency),
        "base_currency": base_currency,
        "order": format_order_number(ln.order_id) if ln.order_id else None,
        "rma": format_rma(ln.return_id) if ln.return_id else None,
        "memo": ln.memo,
    } for ln in lines]
