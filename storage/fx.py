"""Exchange rates: the unit-of-work repository and the read side (`GET /fx-rates`)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from domain.accounting.fx import ONE, FxRate, rate_rows
from domain.queries import View
from storage import orm
from storage.engine import Database
from storage.repositories import upsert

t = orm.fx_rates


class SqlFxRates:
    """`uow.fx_rates`: rates into `base_currency`, read and written in the unit's session."""

    def __init__(self, session: AsyncSession, base_currency: str) -> None:
        self.session = session
        self.base_currency = base_currency

    async def rate_on(self, currency: str, day: date) -> Decimal | None:
        """The rate (base currency per 1 `currency`) in force on `day` (shop time zone)."""
        if currency == self.base_currency:
            return ONE
        rate: Decimal | None = await self.session.scalar(
            select(t.c.rate).where(t.c.currency == currency, t.c.valid_from <= day)
            .order_by(t.c.valid_from.desc()).limit(1))
        return rate

    async def set(self, currency: str, rate: Decimal, valid_from: date) -> bool:
        """Store the rate; True when no rate of `currency` started on `valid_from` before."""
        existing = await self.session.scalar(select(t.c.rate).where(
            t.c.currency == currency, t.c.valid_from == valid_from))
        stmt = upsert(self.session, t).values(currency=currency, valid_from=valid_from,
                                              rate=rate)
        await self.session.execute(stmt.on_conflict_do_update(
            index_elements=[t.c.currency, t.c.valid_from], set_={"rate": rate}))
        return existing is None

    async def all(self) -> list[FxRate]:
        """Every stored rate, by currency, oldest first."""
        rows = await self.session.execute(select(t).order_by(t.c.currency, t.c.valid_from))
        return [FxRate(r.currency, r.rate, r.valid_from) for r in rows]



async def fx_rates_view(db: Database, base_currency: str, today: date) -> View:
    """`GET /fx-rates`: `{base_currency, today, rates: [{currency, rate, date, in_force}]}`
    (`today`: a day in the shop's time zone; rates: base currency per 1 unit, as strings)."""
    async with db.read_sessions() as s:
        rates = await SqlFxRates(s, base_currency).all()
    return {"base_currency": base_currency, "today": today.isoformat(),
            "rates": rate_rows(rates, today)}
