"""`omsbot import orders FILE [--dry-run] [--notify]` (CONTRACT §3)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from channels.importing.columns import columns_help

if TYPE_CHECKING:  # the rest is imported when an import runs, not by every `omsbot` command
    from bot.bootstrap import Core
    from channels.importing.files import SourceOrder
    from channels.importing.run import ImportReport

PROGRESS_FROM = 1000  # lines: smaller files finish before a bar would help

HELP = (
    "Import orders from another system: CSV (comma or semicolon; UTF-8, with or without BOM, "
    "or Windows-1252), JSON Lines, or a JSON array of orders with the API's fields.\n\n"
    "Each rejected row is reported by line number and column; the exit status is 1 when any "
    "row was rejected (the good ones are imported, unless --dry-run). Imported orders notify "
    "nobody unless --notify. History (status shipped, delivered or completed) reserves no "
    "stock and must be in order: placed_at ≤ shipped_at ≤ delivered_at.\n\n"
    "CSV columns (rows with the same channel and external_id are one order, one line per "
    f"row):\n\n{columns_help()}\n"
)


def load(file: Path) -> str:
    """The encoding of `file` (it is streamed later); UnreadableFile when it is not text we
    read."""
    from channels.importing.files import detect_encoding

    return detect_encoding(file)


async def run_import(core: Core, file: Path, encoding: str, *, dry_run: bool, notify: bool
                     ) -> ImportReport:
    """Import, streaming the file an order at a time, with a progress bar (by line) on a
    terminal."""
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

    from channels.importing.files import count_lines, read_file
    from channels.importing.run import import_orders

    orders = read_file(file, encoding)
    lines = count_lines(file) if sys.stderr.isatty() else 0
    if not sys.stderr.isatty() or lines < PROGRESS_FROM:
        return await import_orders(core.bus, orders, dry_run=dry_run, notify=notify)
    columns = ("{task.description}", BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
    with Progress(*columns, transient=True, console=Console(stderr=True)) as bar:
        task = bar.add_task("importing lines", total=lines)

        def advance(source: SourceOrder) -> None:
            bar.advance(task, max(1, len(source.line_rows)))

        return await import_orders(core.bus, orders, dry_run=dry_run, notify=notify,
                                   advance=advance)


def print_report(report: ImportReport, *, dry_run: bool) -> None:
    for rejected in report.rejected:
        typer.echo(f"rejected {rejected}")
    verb = "would import" if dry_run else "imported"
    extra = f", {report.duplicates} already present" if report.duplicates else ""
    rows = len({r.line for r in report.rejected})
    typer.echo(f"{verb} {report.imported} orders{extra}, rejected {rows} rows")
