"""Handlers of accounting: load → act → record."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from domain.accounting.commands import FxRateSet, SetFxRate
from domain.accounting.fx import check_rate_currency, parse_rate
from domain.errors import InvalidInput, ValidationError
from domain.messagebus import Context
from domain.ports import UnitOfWork
from domain.texts import Text


async def set_fx_rate(cmd: SetFxRate, uow: UnitOfWork, ctx: Context) -> FxRateSet:
    """Store 1 `cmd.currency` = `cmd.rate` base currency from `cmd.valid_from` (default:
    today in `cmd.timezone`). Raises `InvalidInput` naming `currency` and/or `rate`."""
    problems: list[tuple[str, Text]] = []
    currency, rate = cmd.currency, None
    try:
        currency = check_rate_currency(cmd.currency, ctx.config.base_currency)
    except ValidationError as bad:
        problems.append((bad.field, bad.reason_text))
    try:
        rate = parse_rate(cmd.rate)
    except ValidationError as bad:
        problems.append((bad.field, bad.reason_text))
    if problems or rate is None:
        raise InvalidInput(problems)
    day = cmd.valid_from or ctx.clock.now().astimezone(ZoneInfo(cmd.timezone)).date()
    previous = await uow.fx_rates.rate_on(currency, day)
    created = await uow.fx_rates.set(currency, rate, day)
    ctx.audit("fx.set", currency, rate=str(rate), valid_from=day.isoformat(),
              previous=None if previous is None else str(previous))
    return FxRateSet(currency, rate, day, previous, created)
