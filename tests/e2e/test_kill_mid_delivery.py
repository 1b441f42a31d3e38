"""Two `omsbot run` processes share PostgreSQL; one is killed with SIGKILL in the middle of
delivering (rows claimed, its SMTP server not answering yet): nothing is lost, nothing is
sent twice (CONTRACT §12). PostgreSQL only: several processes on one SQLite file is not
a supported set-up."""

from __future__ import annotations

import asyncio
import signal
from pathlib import Path

import pytest
from sqlalchemy import func, select

from bot.bootstrap import Core
from storage import orm
from tests.catalog import order_command, small_shop
from tests.doubles.smtp_sink import SmtpSink
from tests.e2e.processes import omsbot_server

ORDERS = 12


async def _silent_server() -> asyncio.Server:
    """Accepts SMTP connections and never greets: a sender stays mid-delivery."""
    async def hold(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await reader.read()  # until the client goes away
        writer.close()

    return await asyncio.start_server(hold, "127.0.0.1", 0)


async def _counts(core: Core) -> tuple[int, int, int]:
    """(e-mails sent, e-mails claimed and unsent, e-mails in all)."""
    t = orm.notifications
    email = t.c.channel == "email"
    async with core.db.read_sessions() as s:
        sent = await s.scalar(select(func.count()).where(email, t.c.status == "sent"))
        claimed = await s.scalar(select(func.count()).where(
            email, t.c.status == "pending", t.c.claimed_until.is_not(None)))
        total = await s.scalar(select(func.count()).where(email))
    return int(sent or 0), int(claimed or 0), int(total or 0)


async def _until(condition: object, seconds: float) -> None:
    for _ in range(int(seconds / 0.1)):
        if await condition():  # type: ignore[operator]
            return
        await asyncio.sleep(0.1)
    raise TimeoutError("condition not met in time")


async def test_sigkill_mid_delivery_loses_and_duplicates_nothing(
        core: Core, database_url: str, tmp_path: Path) -> None:
    if core.db.is_sqlite:
        pytest.skip("several processes share PostgreSQL, not a SQLite file")
    await small_shop(core.bus, stock=100)
    for i in range(ORDERS):
        await core.bus.handle(order_command(f"KILL-{i}", lines=(("MUG-01", 1),),
                                            email=f"buyer{i}@example.com"))
    silent = await _silent_server()
    sink = await SmtpSink().start()
    port = silent.sockets[0].getsockname()[1]
    common = {"OMSBOT_JOBS_ENABLED": "false", "OMSBOT_DELIVERY_LEASE": "PT3S"}
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    try:
        async with omsbot_server(database_url, tmp_path / "a", ready_path="/readyz",
                                 OMSBOT_SMTP_URL=f"smtp://127.0.0.1:{port}", **common) as a:
            async def a_is_mid_delivery() -> bool:
                return (await _counts(core))[1] > 0

            await _until(a_is_mid_delivery, 60)
            async with omsbot_server(database_url, tmp_path / "b", ready_path="/readyz",
                                     OMSBOT_SMTP_URL=sink.url, **common):
                a.process.send_signal(signal.SIGKILL)
                await a.process.wait()

                async def all_sent() -> bool:
                    sent, _, total = await _counts(core)
                    return sent == total

                await _until(all_sent, 90)
        sent, _, total = await _counts(core)
    finally:
        await sink.stop()
        silent.close()

    recipients = sorted(str(m["To"]) for m in sink.messages)
    assert total >= ORDERS and sent == total  # nothing lost
    assert len(recipients) == len(set(recipients)) == total  # nothing twice
    assert a.process.returncode == -signal.SIGKILL
