"""The journal policy: the money events of one command become journal lines, written
with one statement in the same unit of work as the change itself."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal

from domain.accounting.allocation import shipment_revenue
from domain.accounting.events import GoodsShipped
from domain.accounting.journal import book
from domain.events import Event, OrderShipped
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

    money_events = [*events, *await _revenue(events, uow)]
    lines = await book(money_events, rate_on, base_currency=ctx.config.base_currency,
                       timezone=ctx.config.timezone)
    if lines:
        await uow.journal.add(lines)


async def _revenue(events: Sequence[Event], uow: UnitOfWork) -> list[GoodsShipped]:
    """Revenue of each parcel that shipped in this command, whichever way it shipped (by
    staff, rate-shopped with a label, or by a 3PL): every OrderShipped is booked."""
    found: list[GoodsShipped] = []
    for event in events:
        if isinstance(event, OrderShipped):
            order = await uow.orders.get(event.order_id)
            parcel = next((s for s in order.shipments if s.id == event.shipment_id), None) \
                if order is not None else None
            if order is not None and parcel is not None:
                found.append(shipment_revenue(order, parcel))
    return found
