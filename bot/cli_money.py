"""`omsbot fx set` (exchange rates into the base currency) and `omsbot export report`."""

from __future__ import annotations

import csv
import io
import sys
from datetime import date
from pathlib import Path
from typing import Annotated, Any

import typer

from bot.bootstrap import Core
from domain.accounting.commands import FxRateSet, SetFxRate

fx_app = typer.Typer(help="Exchange rates into the base currency (OMSBOT_BASE_CURRENCY).",
                     no_args_is_help=True)


def _day(text: str) -> date:
    """`--date`: a calendar day, or a reason a shop owner reads ("2026-02-30 is not a
    date; write YYYY-MM-DD.")."""
    from channels.staff_values import parse_date

    try:
        return parse_date(text)
    except ValueError as problem:
        raise typer.BadParameter(str(problem).replace("`", "")) from None


@fx_app.command("set")
def fx_set(
    currency: Annotated[str, typer.Argument(help="ISO 4217 code, such as USD.")],
    rate: Annotated[str, typer.Argument(help="1 CURRENCY = RATE base currency, e.g. 0.92.")],
    day: Annotated[date | None, typer.Option(
        "--date", parser=_day, metavar="YYYY-MM-DD",
        help="First day it applies (YYYY-MM-DD, the shop's time zone); default today.")] = None,
) -> None:
    """Set the rate of CURRENCY from a day on (until its next rate)."""
    from bot.cli import Failure, run_async
    from domain.errors import DomainError
    from domain.messagebus import Actor

    valid_from = day

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



export_app = typer.Typer(help="Data out, as CSV a spreadsheet opens as is.",
                         no_args_is_help=True)


@export_app.command("report")
def export_report(
    period: Annotated[str, typer.Option(
        help="today, week, month, YYYY-MM or YYYY-MM-DD..YYYY-MM-DD (OMSBOT_TIMEZONE days).")],
    out: Annotated[Path | None, typer.Option(help="Write here instead of standard output.")]
    = None,
) -> None:
    """The sales report by day as CSV (base currency, net of refunds), with a total row."""
    from bot.cli import Failure, run_async
    from domain.accounting.periods import report_window
    from domain.accounting.sales import sales_report_view
    from domain.errors import DomainError

    async def go(core: Core) -> dict[str, Any]:
        window = report_window(period, core.clock.now(), core.settings.timezone)
        return sales_report_view(await core.views.sales_report(window))

    try:
        view = run_async(go)
    except DomainError as problem:
        raise Failure(problem.message) from None
    text = report_csv(view)
    if out is None:
        sys.stdout.write(text)
    else:
        out.write_text(text, encoding="utf-8")
        typer.echo(f"{out}: {len(view['by_day'])} days, {view['orders']} orders", err=True)
    for missing in view["not_converted"]:
        typer.echo(f"not converted (no {missing['currency']} rate on their day): "
                   f"{missing['orders']} order(s), {missing['amount']} {missing['currency']}",
                   err=True)


def report_csv(view: dict[str, Any]) -> str:
    """`date,orders,net_revenue,margin,currency` per day (shop time zone), then a `total`
    row; amounts are decimal strings in the base currency."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(["date", "orders", "net_revenue", "margin", "currency"])
    for day in view["by_day"]:
        writer.writerow([day["date"], day["orders"], day["net_revenue"], day["margin"],
                         view["currency"]])
    writer.writerow(["total", view["orders"], view["net_revenue"], view["margin"],
                     view["currency"]])
    return buffer.getvalue()
