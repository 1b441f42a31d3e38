"""`omsbot outbox` (pending and dead notifications, retry dead ones) and `omsbot email ingest`."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, BinaryIO

import typer

from bot.core import Core
from domain.notifications import DEAD, EMAIL, SLACK, TELEGRAM, Notification

outbox_app = typer.Typer(help="Notifications waiting to be delivered, and dead ones.",
                         invoke_without_command=True)
email_app = typer.Typer(help="E-mail.", no_args_is_help=True)
CHUNK = 1024 * 1024


def _configured(core: Core) -> set[str]:
    s = core.settings
    return {EMAIL} | ({TELEGRAM} if s.telegram_token else set()) | \
        ({SLACK} if s.slack_bot_token else set())


def _line(n: Notification, configured: set[str]) -> str:
    due = n.next_attempt_at.isoformat().replace("+00:00", "Z")
    state = n.status if n.channel in configured else f"{n.status} (channel not configured)"
    error = f"  last error: {n.last_error}" if n.last_error else ""
    return (f"{n.id:>6}  {state:<10} {n.channel:<8} {n.kind:<20} {n.recipient}  "
            f"attempts {n.attempts}  due {due}{error}")


@outbox_app.callback()
def outbox(ctx: typer.Context) -> None:
    """List pending and dead notifications (`omsbot outbox retry` requeues dead ones)."""
    if ctx.invoked_subcommand is not None:
        return
    from bot.cli import run_async
    from storage.outbox import SqlOutboxStore

    async def go(core: Core) -> list[str]:
        store = SqlOutboxStore(core.db, core.clock)
        rows, counts = await store.listing(), await store.counts()
        configured = _configured(core)
        lines = [_line(n, configured) for n in rows]
        summary = ", ".join(f"{counts.get(k, 0)} {k}" for k in ("pending", "dead", "sent"))
        return [*lines, summary]

    for line in run_async(go):
        typer.echo(line)


@outbox_app.command("retry")
def outbox_retry(
    notification_id: Annotated[int | None, typer.Argument(
        metavar="ID", help="The dead notification to deliver again.")] = None,
    all_dead: Annotated[bool, typer.Option("--all-dead", help="Every dead one.")] = False,
) -> None:
    """Make dead notifications pending again, with fresh attempts."""
    from bot.cli import Failure, run_async
    from storage.outbox import SqlOutboxStore

    if (notification_id is None) == (not all_dead):
        raise typer.BadParameter("give one ID or --all-dead")

    async def go(core: Core) -> int:
        store = SqlOutboxStore(core.db, core.clock)
        requeued = await store.requeue_dead(notification_id)
        if notification_id is not None and not requeued:
            status = await store.status_of(notification_id)
            raise Failure(f"notification {notification_id} "
                          + ("does not exist" if status is None else f"is {status}, not dead"))
        return requeued

    typer.echo(f"requeued {run_async(go)} {DEAD} notification(s)")


@email_app.command("ingest")
def email_ingest(
    file: Annotated[str, typer.Argument(
        metavar="[FILE|-]", help="One RFC 5322 message; - or nothing reads standard input.")
    ] = "-",
) -> None:
    """Read one incoming e-mail (e.g. from an MTA pipe) as the inbound SMTP server would."""
    from bot.cli import Failure, run_async, settings
    from bot.email_service import build_inbox

    if file != "-" and not Path(file).is_file():
        raise Failure(f"{file}: no such file")
    limit = settings().inbound_max_bytes
    if file == "-":
        raw, size = _read_at_most(sys.stdin.buffer, limit)
    else:
        with Path(file).open("rb") as handle:
            raw, size = _read_at_most(handle, limit)
    if not raw.strip():
        raise Failure("the message is empty")

    async def go(core: Core) -> str:
        received = await build_inbox(core).receive(raw, size=size)
        return f"{received.action} {received.detail}".strip()

    typer.echo(run_async(go))


def _read_at_most(stream: BinaryIO, limit: int) -> tuple[bytes, int]:
    """The first `limit + 1` bytes (enough to see the message is too large) and the size of
    the whole stream, read to its end in chunks so a huge message never sits in memory."""
    raw = stream.read(limit + 1)
    size = len(raw)
    while chunk := stream.read(CHUNK):
        size += len(chunk)
    return raw, size
