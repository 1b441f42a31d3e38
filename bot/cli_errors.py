"""What the command line says when something goes wrong: one line on standard error that a
shop owner understands (never a class name, a box or an SQL dump), and the exit status:
2 for bad usage, 1 for a failure (CONTRACT §3)."""

from __future__ import annotations

import logging

import typer
from sqlalchemy.exc import DBAPIError, SQLAlchemyError

log = logging.getLogger("omsbot")
USAGE, FAILURE = 2, 1
NOT_MIGRATED = "the database has not been set up: run `omsbot db upgrade` first"
BEHIND = "the database is older than this omsbot: run `omsbot db upgrade` first"


def usage_line(exc: typer.TyperException) -> tuple[str, int, bool]:
    """(line, exit status, whether help was shown instead) for typer's own errors."""
    ctx = getattr(exc, "ctx", None)
    if type(exc).__name__ == "NoArgsIsHelpError":  # a group called without a command
        if exc.format_message():  # typer's rich help has printed itself already
            typer.echo(exc.format_message(), err=True)
        return "", exc.exit_code, True
    message = _first_line(exc.format_message())
    if ctx is not None and exc.exit_code == USAGE:
        command = ctx.command_path.partition(" ")[2]
        where = f"{command}: " if command else ""
        return f"{where}{message} (see `{ctx.command_path} --help`)", USAGE, False
    return message, exc.exit_code, False


def failure_line(exc: BaseException) -> str:
    """One line for an error that reached the top: databases explained, bugs summarised
    (the traceback goes to the log at debug level)."""
    if isinstance(exc, DBAPIError):
        return database_line(exc)
    if isinstance(exc, SQLAlchemyError):
        return f"database error: {_first_line(str(exc))}"
    if isinstance(exc, OSError) and exc.strerror:
        where = f" ({exc.filename})" if exc.filename else ""
        return f"{exc.strerror.lower()}{where}"
    log.debug("unexpected failure", exc_info=exc)
    return f"unexpected failure: {_first_line(str(exc)) or 'no detail'} (a bug: please report it)"


def database_line(exc: DBAPIError) -> str:
    detail = _first_line(str(exc.orig) if exc.orig is not None else str(exc))
    lowered = detail.lower()
    if "no such table" in lowered or ("relation" in lowered and "does not exist" in lowered):
        return NOT_MIGRATED
    if "no such column" in lowered or ("column" in lowered and "does not exist" in lowered):
        return BEHIND
    if "unable to open database file" in lowered:
        return "cannot open the SQLite file named by OMSBOT_DATABASE_URL"
    if "connect" in lowered or "refused" in lowered:
        return f"cannot reach the database named by OMSBOT_DATABASE_URL: {detail}"
    return f"the database refused: {detail}"


def _first_line(text: str) -> str:
    return text.strip().splitlines()[0].strip() if text.strip() else ""
