"""Messages per second through the delivery worker to a local SMTP sink, next to a bare
aiosmtplib loop sending ready-made messages over one connection to the same sink.

    python bench/email.py [--messages 2000] [--database-url postgresql+asyncpg://USER@HOST/DB]

(with a PostgreSQL URL the bench creates, and then drops, a database of its own there)

The sink (aiosmtpd, accepting everything) runs in its own process, as a real server
would. The worker's figure includes everything it does per message: claiming the rows,
reading the order, rendering the text and HTML parts in the customer's language, sending,
and recording the provider id. Goal: at least 0.8 x the bare loop.
"""

from __future__ import annotations

import sys
from pathlib import Path

# This file is called email.py: keep its folder off the path, or it hides the stdlib `email`.
_HERE = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != _HERE]
sys.path.insert(0, str(_HERE.parent))

import argparse
import asyncio
import subprocess
import tempfile
import time
from typing import Any

import aiosmtplib

ORDERS = 50


def run_sink() -> None:
    from aiosmtpd.smtp import SMTP

    class Accept:
        async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
            return "250 OK"

    async def serve() -> None:
        loop = asyncio.get_running_loop()
        server = await loop.create_server(lambda: SMTP(Accept(), hostname="sink"),
                                          "127.0.0.1", 0)
        print(server.sockets[0].getsockname()[1], flush=True)
        await asyncio.Event().wait()

    asyncio.run(serve())


async def bare_loop(port: int, messages: list[bytes]) -> float:
    """Ready-made messages, one connection: the SMTP ceiling."""
    client = aiosmtplib.SMTP(hostname="127.0.0.1", port=port)
    await client.connect()
    started = time.perf_counter()
    for i, raw in enumerate(messages):
        await client.sendmail("orders@shop.example", [f"c{i}@example.com"], raw)
    elapsed = time.perf_counter() - started
    await client.quit()
    return len(messages) / elapsed


async def bare_composing_loop(port: int, notifier: Any, notes: list[Any]) -> float:
    """The same mails as the worker's (read model, templates, compose) sent one after the
    other on one connection, without an outbox: a script that mails directly."""
    client = aiosmtplib.SMTP(hostname="127.0.0.1", port=port)
    await client.connect()
    started = time.perf_counter()
    for n in notes:
        mail = await notifier.mail(n)
        await client.sendmail(mail.sender, list(mail.recipients), mail.data)
    elapsed = time.perf_counter() - started
    await client.quit()
    return len(notes) / elapsed


async def prepare(database_url: str, port: int, count: int) -> tuple[Any, list[bytes]]:
    from bot.bootstrap import build_core
    from bot.settings import Settings
    from domain.inventory import commands as ic
    from domain.notifications import Notification
    from domain.orders import commands as oc
    from storage.migrate import upgrade
    from storage.uow import SqlUnitOfWork

    await upgrade(database_url)
    settings = Settings(database_url=database_url, secret_key="bench",  # type: ignore[call-arg]
                        smtp_url=f"smtp://127.0.0.1:{port}",
                        email_from="Bottega <orders@shop.example>", _env_file=None)
    core = build_core(settings)
    bus = core.bus
    await bus.handle(ic.UpsertWarehouse("MIL", "Milano", "IT", "20100", 45.46, 9.19, 10))
    from decimal import Decimal

    await bus.handle(ic.UpsertProduct("MUG-01", "Mug", Decimal("12.50"), "EUR"))
    await bus.handle(ic.ReceiveStock("MUG-01", "MIL", 10 * ORDERS))
    for i in range(ORDERS):
        await bus.handle(oc.PlaceOrder(
            external_id=f"B{i}", channel="web", currency="EUR",
            customer=oc.CustomerDetails(f"c{i}@example.com", f"Customer {i}",
                                        locale="it" if i % 2 else "en"),
            shipping_address={"name": "C", "line1": "Via Roma 1", "city": "Milano",
                              "postal_code": "20121", "country": "IT"},
            lines=(oc.LineRequest("MUG-01", 2),)))
    now = core.clock.now()
    async with SqlUnitOfWork(core.db) as uow:  # the confirmations already stored, and more
        for i in range(count - ORDERS):
            oid = i % ORDERS + 1
            await uow.outbox.add(Notification(
                "email", "order_confirmation", f"c{oid - 1}@example.com", {"order_id": oid},
                now, now, locale="it" if (oid - 1) % 2 else "en", order_id=oid))
        await uow.commit()
    return core, [_note(i, now) for i in range(count)]


def _note(i: int, now: Any) -> Any:
    from domain.notifications import Notification

    oid = i % ORDERS + 1
    return Notification("email", "order_confirmation", f"c{oid - 1}@example.com",
                        {"order_id": oid}, now, now, locale="it" if (oid - 1) % 2 else "en",
                        order_id=oid)


async def bench(database_url: str, port: int, count: int) -> None:
    from bot.delivery import OutboxWorker
    from bot.outbox_service import email_notifier
    from channels.email.notifier import EmailNotifier

    core, notes = await prepare(database_url, port, count)
    try:
        notifier = email_notifier(core)  # as `omsbot run` builds it
        assert isinstance(notifier, EmailNotifier)
        ready_made = [(await notifier.mail(n)).data for n in notes]
        bare = await bare_loop(port, ready_made)
        composing = await bare_composing_loop(port, notifier, notes)
        worker = OutboxWorker(core.db, {"email": notifier}, core.clock, batch_size=100,
                              concurrency=16)
        # As in `omsbot run`, whose delivery worker starts the composing process at start-up:
        # the mail comes to a running shop, not to one still spawning its process.
        await notifier.start()
        if notifier.pool is not None:
            await notifier.pool.wait_ready(60)
        started = time.perf_counter()
        counts = await worker.drain()
        elapsed = time.perf_counter() - started
        assert counts.sent == count, counts
    finally:
        await core.close()
    through_worker = count / elapsed
    print(f"database: {database_url.split('://')[0]}, messages: {count}, "
          f"order_confirmation in en and it")
    print(f"bare aiosmtplib loop, ready-made bytes:     {bare:7.0f} msg/s")
    print(f"bare aiosmtplib loop, composing each mail:  {composing:7.0f} msg/s")
    print(f"outbox worker (claim, compose, send, mark): {through_worker:7.0f} msg/s")
    print(f"worker / bare ready-made: {through_worker / bare:.2f}   "
          f"worker / bare composing: {through_worker / composing:.2f}   (goal: worker / bare "
          f"ready-made >= 0.80: {'met' if through_worker / bare >= 0.8 else 'NOT met'})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--messages", type=int, default=2000)
    parser.add_argument("--database-url")
    parser.add_argument("--sink", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.sink:
        run_sink()
        return
    sink = subprocess.Popen([sys.executable, __file__, "--sink"], stdout=subprocess.PIPE,
                            text=True)
    try:
        assert sink.stdout is not None
        port = int(sink.stdout.readline())
        with tempfile.TemporaryDirectory() as tmp:
            if args.database_url:
                asyncio.run(on_fresh_postgres(args.database_url, port, args.messages))
            else:
                url = f"sqlite+aiosqlite:///{tmp}/bench.db"
                asyncio.run(bench(url, port, max(args.messages, ORDERS)))
    finally:
        sink.terminate()
        sink.wait()


async def on_fresh_postgres(server_url: str, port: int, count: int) -> None:
    """A database of its own on the given server, dropped afterwards."""
    import os

    import asyncpg
    from sqlalchemy.engine import make_url

    base = make_url(server_url)
    admin = base.set(drivername="postgresql").render_as_string(hide_password=False)
    name = f"omsbot_bench_email_{os.getpid()}"
    conn = await asyncpg.connect(admin)
    await conn.execute(f'CREATE DATABASE "{name}"')
    try:
        url = base.set(database=name).render_as_string(hide_password=False)
        await bench(url, port, max(count, ORDERS))
    finally:
        await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await conn.close()


if __name__ == "__main__":
    main()
