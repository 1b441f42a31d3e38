"""`uow.fx_rates` on SQLite and PostgreSQL: exact rates, the rate in force on a day."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from bot.bootstrap import Core
from domain.accounting.fx import FxRate
from storage.uow import SqlUnitOfWork


async def test_rates_round_trip_exactly_and_the_newest_started_one_applies(core: Core) -> None:
    async with SqlUnitOfWork(core.db, base_currency="EUR") as uow:
        assert await uow.fx_rates.set("USD", Decimal("0.9012345678"), date(2026, 11, 1))
        assert await uow.fx_rates.set("USD", Decimal("0.95"), date(2026, 11, 20))
        assert await uow.fx_rates.set("IRR", Decimal("99999999.9999999999"), date(2026, 1, 1))
        assert not await uow.fx_rates.set("USD", Decimal("0.96"), date(2026, 11, 20))
        await uow.commit()
    async with SqlUnitOfWork(core.db, base_currency="EUR") as uow:
        rates = uow.fx_rates
        assert await rates.rate_on("USD", date(2026, 10, 31)) is None
        assert await rates.rate_on("USD", date(2026, 11, 1)) == Decimal("0.9012345678")
        assert await rates.rate_on("USD", date(2026, 11, 19)) == Decimal("0.9012345678")
        assert await rates.rate_on("USD", date(2027, 1, 1)) == Decimal("0.96")
        assert await rates.rate_on("EUR", date(2000, 1, 1)) == Decimal(1)
        assert await rates.rate_on("GBP", date(2026, 11, 20)) is None
        assert await rates.all() == [
            FxRate("IRR", Decimal("99999999.9999999999"), date(2026, 1, 1)),
            FxRate("USD", Decimal("0.9012345678"), date(2026, 11, 1)),
            FxRate("USD", Decimal("0.96"), date(2026, 11, 20)),
        ]


async def test_an_uncommitted_rate_is_forgotten(core: Core) -> None:
    async with SqlUnitOfWork(core.db) as uow:
        await uow.fx_rates.set("USD", Decimal("0.9"), date(2026, 11, 1))
    async with SqlUnitOfWork(core.db) as uow:
        assert await uow.fx_rates.all() == []
