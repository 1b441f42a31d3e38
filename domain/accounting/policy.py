"""The journal policy: the money events of one command become journal lines, written
with one statement in the same unit of work as the change itself."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal

from domain.accounting.journal import book
from domain.events import Event
from domain.messagebus import Context
from domain.ports import UnitOfWork


async def journal_policy(events: Sequence[Event], uow: UnitOfWork, ctx: Context) -> None:
    """Book `events` (see domain/accounting/journal.py) and store the lines. Base amounts
    use the rate of the entry's day (`uow.fx_rates`, asked once per currency and day of
    this command); without a rate the base columns stay empty and the memo says so."""
    asked: dict[tuple[str, date], Decimal | None] = {}

    async def rate_on(currency: str, day: date) -> Decimal | None:
        if (currency, day) not in asked:
            asked[(currency, day)] = await uow.fx_rates.rate_on(currency, day)
        return asked[(currency, day)]

    lines = await book(events, rate_on, base_currency=ctx.config.base_currency,
                       timezone=ctx.config.timezone)
    if lines:
        await uow.journal.add(lines)
