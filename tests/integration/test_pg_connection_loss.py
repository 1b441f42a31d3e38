"""PostgreSQL connections lost under the pool (a server restart, an idle timeout): orders
go on. Connections in steady use are not pinged (a ping is three round trips); one idle
for longer than OMSBOT_DB_PING_AFTER_IDLE is, and a dead one is replaced; a
statement that finds its connection dead invalidates the pool and its unit of work runs
again."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Any

import asyncpg
import pytest
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncSession

from bot.bootstrap import Core, build_core
from domain.clock import FixedClock
from tests.catalog import order_command, small_shop
from tests.conftest import _pg_dsn, make_settings, truncate_postgres_async


@pytest.fixture
async def pg_core(postgres_url: str | None, clock: FixedClock) -> AsyncIterator[Core]:
    if postgres_url is None:
        pytest.skip("OMSBOT_TEST_POSTGRES_URL is not set: PostgreSQL tests skipped")
    await truncate_postgres_async(postgres_url)
    core = build_core(make_settings(postgres_url), clock=clock)
    try:
        await small_shop(core.bus)
        yield core
    finally:
        await core.close()


async def _drop_every_connection(core: Core) -> int:
    """What a server restart does to the pool: every other backend of the database ends."""
    admin = await asyncpg.connect(_pg_dsn(core.settings.database_url))
    try:
        ended = await admin.fetchval(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
            " WHERE datname = current_database() AND pid <> pg_backend_pid()")
    finally:
        await admin.close()
    await asyncio.sleep(0.2)  # the terminations reach the sockets
    return int(ended)


def _count_pings(core: Core, monkeypatch: pytest.MonkeyPatch) -> list[int]:
    pings = [0]
    dialect = core.db.engine.dialect
    real = dialect.do_ping

    def counted(dbapi_connection: Any) -> bool:
        pings[0] += 1
        return bool(real(dbapi_connection))

    monkeypatch.setattr(dialect, "do_ping", counted)
    return pings


async def test_orders_go_on_after_every_connection_was_dropped(pg_core: Core) -> None:
    core = pg_core
    await asyncio.gather(*(core.bus.handle(order_command(f"A-{i}")) for i in range(4)))
    assert await _drop_every_connection(core) >= 1
    placed = await asyncio.gather(
        *(core.bus.handle(order_command(f"B-{i}")) for i in range(6)))
    assert len({p.order_id for p in placed}) == 6
    orders, _ = await core.views.orders(limit=50)
    assert len(orders) == 10


async def test_a_connection_in_steady_use_is_not_pinged(
        pg_core: Core, monkeypatch: pytest.MonkeyPatch) -> None:
    pings = _count_pings(pg_core, monkeypatch)
    for i in range(5):
        await pg_core.bus.handle(order_command(f"S-{i}"))
    assert pings == [0]


async def test_an_idle_connection_is_pinged_and_a_dead_one_replaced(
        pg_core: Core, clock: FixedClock, monkeypatch: pytest.MonkeyPatch) -> None:
    placed = await pg_core.bus.handle(order_command("I-1"))
    # OMSBOT_DB_PING_AFTER_IDLE=PT0.05S: idle for longer than that, as every connection
    # is after the next sleep
    core = build_core(make_settings(pg_core.settings.database_url,
                                    db_ping_after_idle=timedelta(milliseconds=50)),
                      clock=clock)
    try:
        await core.views.order(placed.order_id)  # a pooled connection, now idle
        pings = _count_pings(core, monkeypatch)
        await _drop_every_connection(core)
        await _the_read_still_answers(core, placed.order_id)
        assert pings[0] >= 1
    finally:
        await core.close()


async def _the_read_still_answers(core: Core, order_id: int) -> None:
    # a plain read (no unit of work to run again): the ping finds the connection dead
    view = await core.views.order(order_id)
    assert view is not None and view["external_id"] == "I-1"


async def test_a_connection_lost_at_commit_is_not_run_again(
        pg_core: Core, monkeypatch: pytest.MonkeyPatch) -> None:
    """At COMMIT the outcome is unknown (the server may have committed before the socket
    closed): the error goes to the caller, whose retry carries the idempotency key, and
    the unit of work is not run again on its own, which could place the order twice."""
    core = pg_core
    real_commit = AsyncSession.commit
    attempts = []

    async def commit_after_the_backend_ends(session: AsyncSession) -> None:
        attempts.append(1)
        if len(attempts) == 1:
            raw = await (await session.connection()).get_raw_connection()
            pid = raw.driver_connection.get_server_pid()  # type: ignore[union-attr]
            admin = await asyncpg.connect(_pg_dsn(core.settings.database_url))
            try:
                await admin.execute("SELECT pg_terminate_backend($1)", pid)
            finally:
                await admin.close()
            await asyncio.sleep(0.2)  # the termination reaches the socket
        await real_commit(session)

    monkeypatch.setattr(AsyncSession, "commit", commit_after_the_backend_ends)
    with pytest.raises(DBAPIError) as lost:
        await core.bus.handle(order_command("C-1"))
    assert lost.value.connection_invalidated
    assert len(attempts) == 1  # not run again
    monkeypatch.setattr(AsyncSession, "commit", real_commit)
    orders, _ = await core.views.orders(limit=50)
    assert orders == []  # the server rolled back what its ended backend held
    placed = await core.bus.handle(order_command("C-1"))  # the caller's retry goes through
    view = await core.views.order(placed.order_id)
    assert view is not None and view["external_id"] == "C-1"
