"""The `omsbot` command line (CONTRACT §3). Exit 0 on success, 2 on bad usage, 1 on failure."""

from __future__ import annotations

import asyncio
import gc
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer

from bot.bootstrap import Core, build_core
from bot.cli_errors import FAILURE, failure_line, usage_line
from bot.cli_import import HELP as IMPORT_HELP
from bot.cli_journal import export_journal
from bot.cli_mail import email_app, outbox_app
from bot.cli_money import export_app, fx_app
from bot.launch import long_lived_imports
from bot.logs import configure_logging
from bot.settings import ConfigError, Settings, load_settings
from domain.staff.model import Role

T = TypeVar("T")

app = typer.Typer(help="omsbot: the order management system you run through conversation.",
                  no_args_is_help=True, add_completion=False, pretty_exceptions_enable=False)
db_app = typer.Typer(help="Database schema.", no_args_is_help=True)
seed_app = typer.Typer(help="Sample data.", no_args_is_help=True)
import_app = typer.Typer(help="Bring data in from files.", no_args_is_help=True)
apikey_app = typer.Typer(help="HTTP API tokens.", no_args_is_help=True)
app.add_typer(db_app, name="db")
app.add_typer(seed_app, name="seed")
app.add_typer(import_app, name="import")
app.add_typer(apikey_app, name="apikey")
staff_app = typer.Typer(help="Staff who run the shop from Slack.", no_args_is_help=True)
app.add_typer(staff_app, name="staff")
app.add_typer(outbox_app, name="outbox")
app.add_typer(email_app, name="email")
jobs_app = typer.Typer(help="Scheduled jobs.", no_args_is_help=True)
app.add_typer(jobs_app, name="jobs")
app.add_typer(fx_app, name="fx")
export_app.command("journal")(export_journal)
app.add_typer(export_app, name="export")


class Failure(Exception):
    """A one-line reason; exit status 1."""


def settings() -> Settings:
    try:
        return load_settings()
    except ConfigError as exc:
        raise Failure(str(exc)) from None


def run_async(fn: Callable[[Core], Awaitable[T]]) -> T:
    """Run `fn` with a core on a fresh event loop, then close it."""

    async def main() -> T:
        core = build_core(settings())
        try:
            return await fn(core)
        finally:
            await core.close()

    return asyncio.run(main())


@app.command()
def run() -> None:
    """Serve the API and start everything configured, in one process."""
    with long_lived_imports():  # the server and its services: kept for the whole process
        from bot.runtime import StartFailed, serve

    cfg = settings()
    configure_logging(cfg.log_format)

    def ready(runtime: Any) -> None:
        _freeze_start_up()
        typer.echo(f"omsbot is serving on http://{cfg.http_host}:{runtime.port} "
                   f"(database: {cfg.database_url}); Ctrl-C stops it", err=True)

    try:
        asyncio.run(serve(cfg, ready))
    except StartFailed as exc:
        raise Failure(str(exc)) from None


def _freeze_start_up() -> None:
    """What start-up built (modules, pydantic models, SQLAlchemy metadata, templates) lives
    as long as the process: moved out of the collector's sight, each full collection walks
    only what was made since, not ~300,000 objects (~250 ms each on this machine, four a
    round of bench/telegram.py). Only `omsbot run`, which owns its process: tests that
    serve in-process would never free their cycles."""
    gc.collect()
    gc.freeze()


@db_app.command("upgrade")
def db_upgrade(revision: str = "head") -> None:
    """Upgrade the database to the newest migration."""
    from storage.migrate import upgrade

    asyncio.run(upgrade(settings().database_url, revision))
    typer.echo(f"database is at {revision}")


@db_app.command("backup")
def db_backup(
    file: Annotated[Path, typer.Argument(help="Where to write the copy (must not exist).")],
) -> None:
    """An online, consistent copy of the SQLite database (while omsbot runs)."""
    from storage.backup import BackupRefused, backup_sqlite

    try:
        pages = backup_sqlite(settings().database_url, file)
    except BackupRefused as exc:
        raise Failure(str(exc)) from None
    typer.echo(f"database copied to {file} ({pages} pages)")


@seed_app.command("demo")
def seed_demo(
    if_empty: Annotated[bool, typer.Option(help="Only when there are no orders yet.")] = False,
) -> None:
    """Load the demo shop: three warehouses, ~50 products, a few customers and orders."""
    from bot.demo import seed_demo as load

    async def go(core: Core) -> str:
        if if_empty and (await core.views.orders(limit=1))[0]:
            return "the database already has orders: demo not loaded"
        placed = await load(core.bus)
        return f"demo shop loaded: {placed} orders"

    typer.echo(run_async(go))


@import_app.command("orders", help=IMPORT_HELP)
def import_orders(
    file: Annotated[Path, typer.Argument(help="CSV, JSON Lines or JSON array file.")],
    dry_run: Annotated[bool, typer.Option(help="Check every row; write nothing.")] = False,
    notify: Annotated[bool, typer.Option(help="Tell customers and staff as for new "
                                              "orders.")] = False,
) -> None:
    from bot.cli_import import load, print_report, run_import
    from channels.importing.files import UnreadableFile

    try:
        encoding = load(file)
    except UnreadableFile as exc:
        raise Failure(str(exc)) from None
    report = run_async(lambda core: run_import(core, file, encoding, dry_run=dry_run,
                                               notify=notify))
    print_report(report, dry_run=dry_run)
    if report.rejected:
        raise typer.Exit(1)


@apikey_app.command("create")
def apikey_create(name: Annotated[str, typer.Argument(help="Who the token is for.")]) -> None:
    """Create an API token and print it (alone) on standard output."""
    name = name.strip()
    if not name:
        raise typer.BadParameter("NAME must not be empty")
    typer.echo(run_async(lambda core: core.tokens.create(name)))


@staff_app.command("add")
def staff_add(
    slack_user: Annotated[str, typer.Option("--slack-user", help="Slack user id, U0123ABCD.")],
    role: Annotated[Role, typer.Option(case_sensitive=False, help="What they may do.")],
) -> None:
    """Add a staff member (or change their role)."""
    from bot.staff import add_staff
    from channels.rendering import resolve_locale, translations_for
    from channels.texts import say
    from domain.errors import DomainError

    try:
        typer.echo(run_async(lambda core: add_staff(core, slack_user, role)))
    except DomainError as problem:  # said in the staff's language, as the answer would be
        locale = resolve_locale(settings().staff_locale)
        raise Failure(say(problem.text, translations_for(locale), locale)) from None


@app.command()
def shell() -> None:
    """The staff console: the Slack grammar on this terminal, as a local admin."""
    from bot.staff import run_shell

    run_async(run_shell)
@jobs_app.command("run")
def jobs_run(
    name: Annotated[str, typer.Argument(
        help="low-stock, delays, review-requests, payment-reminders, expire-unpaid or "
             "daily-report.")],
) -> None:
    """Run one scheduled job once and print what it did."""
    from domain.automation.runner import JOB_NAMES, describe, run_job
    from domain.messagebus import Actor

    if name not in JOB_NAMES:
        raise typer.BadParameter(f"{name!r}: use one of {', '.join(JOB_NAMES)}",
                                 param_hint="NAME")
    outcome = run_async(lambda core: run_job(core.bus, name, timezone=core.settings.timezone,
                                             actor=Actor("cli", "cli")))
    for line in outcome.lines:
        typer.echo(line)
    typer.echo(describe(outcome))


def main() -> None:
    """Entry point: one line on standard error for any problem; exit 2 on bad usage, 1 on a
    failure (bot/cli_errors.py)."""
    try:
        status = app(standalone_mode=False, prog_name="omsbot")
    except Failure as exc:
        _fail(str(exc), FAILURE)
    except typer.TyperException as exc:  # usage errors (2) and typer's own failures
        line, code, shown_help = usage_line(exc)
        if shown_help:
            sys.exit(code)
        _fail(line, code)
    except typer.Abort:
        _fail("aborted", FAILURE)
    except Exception as exc:
        _fail(failure_line(exc), FAILURE)
    if isinstance(status, int) and status:  # typer.Exit(n) comes back as n here
        sys.exit(status)


def _fail(line: str, code: int) -> None:
    typer.echo(f"omsbot: {line}", err=True)
    sys.exit(code)
