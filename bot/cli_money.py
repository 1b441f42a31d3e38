"""`omsbot fx set`: exchange rates into the base currency from the command line."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

import typer

from bot.bootstrap import Core
from domain.accounting.commands import FxRateSet, SetFxRate

fx_app = typer.Typer(help="Exchange rates into the base currency (OMSBOT_BASE_CURRENCY).",
                     no_args_is_help=True)


@fx_app.command("set")
def fx_set(
    currency: Annotated[str, typer.Argument(help="ISO 4217 code, such as USD.")],
    rate: Annotated[str, typer.Argument(help="1 CURRENCY = RATE base currency, e.g. 0.92.")],
    day: Annotated[datetime | None, typer.Option(
        "--date", formats=["%Y-%m-%d"],
        help="First day it applies (YYYY-MM-DD, the shop's time zone); default today.")] = None,
) -> None:
    """Set the rate of CURRENCY from a day on (until its next rate)."""
    from bot.cli import Failure, run_async
    from domain.errors import DomainError
    from domain.messagebus import Actor

    valid_from: date | None = day.date() if day is not None else None

    async def go(core: Core) -> tuple[FxRateSet, str]:
        result: FxRateSet = await core.bus.handle(
            SetFxRate(currency, rate, valid_from, timezone=core.settings.timezone),
            Actor("cli", "cli"))
        return result, core.settings.base_currency

    try:
        result, base = run_async(go)
    except DomainError as problem:
        raise Failure(problem.message) from None
    was = f" (was {result.previous})" if result.previous not in (None, result.rate) else ""
    typer.echo(f"1 {result.currency} = {result.rate} {base} from "
               f"{result.valid_from.isoformat()}{was}")

