"""`omsbot export journal`: the accounting journal as CSV an accountant imports as is."""

from __future__ import annotations

import csv
import io
import sys
from datetime import datetime
from pathlib import Path
from typing import Annotated, Any

import typer

from bot.bootstrap import Core

JOURNAL_COLUMNS = ("date", "entry", "account", "debit", "credit", "currency", "debit_base",
                   "credit_base", "order", "rma", "memo")


def export_journal(
    start: Annotated[datetime, typer.Option(
        "--from", formats=["%Y-%m-%d"], help="First day (YYYY-MM-DD, OMSBOT_TIMEZONE).")],
    end: Annotated[datetime, typer.Option(
        "--to", formats=["%Y-%m-%d"], help="Last day, included (YYYY-MM-DD).")],
    out: Annotated[Path | None, typer.Option(help="Write here instead of standard output.")]
    = None,
) -> None:
    """Every journal line of the days FROM..TO: debits and credits in the order's currency
    and in the base currency (OMSBOT_BASE_CURRENCY) at that day's rate."""
    from bot.cli import Failure, run_async
    from domain.accounting.journal import journal_period
    from domain.errors import DomainError

    async def go(core: Core) -> list[dict[str, Any]]:
        first, last = journal_period(start.date().isoformat(), end.date().isoformat())
        return await core.views.journal(first, last)

    try:
        rows = run_async(go)
    except DomainError as problem:
        raise Failure(problem.message) from None
    text = journal_csv(rows)
    if out is None:
        sys.stdout.write(text)
        return
    out.write_text(text, encoding="utf-8")
    entries = len({row["entry"] for row in rows})
    typer.echo(f"{out}: {len(rows)} lines, {entries} entries", err=True)


def journal_csv(rows: list[dict[str, Any]]) -> str:
    """The journal lines (views shape) as RFC 4180 CSV with a header row: amounts are plain
    decimal strings ("18.90", dot as decimal mark), dates YYYY-MM-DD, a base amount that
    has no rate is an empty cell."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(JOURNAL_COLUMNS)
    for row in rows:
        writer.writerow(["" if row[column] is None else row[column]
                         for column in JOURNAL_COLUMNS])
    return buffer.getvalue()
