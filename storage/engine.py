"""Engines for SQLite (embedded) and PostgreSQL (scale-out), tuned for our write pattern."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

from storage.checkpoint import NO_AUTOCHECKPOINT, Checkpointer
from storage.mapping import start_mappers
from storage.reference import ReferenceCache
from storage.sqlite_inline import DRIVERNAME, inline_creator
from storage.write_queue import WriteQueue

SQLITE_BUSY_TIMEOUT_MS = 30_000
# A pooled PostgreSQL connection idle for longer than this is pinged at checkout.
PING_AFTER_IDLE_S = 5.0
_IDLE_SINCE = "omsbot.idle_since"


def _sqlite_setup(busy_timeout_ms: int, *, writer: bool = False
                  ) -> Callable[[sqlite3.Connection], None]:
    """`writer`: no automatic checkpoints in its COMMITs (storage.checkpoint)."""
    def setup(connection: sqlite3.Connection) -> None:
        # Switching a fresh file to WAL needs the lock: wait for it as SQLite does (once
        # per file), then use the connection's own busy timeout.
        connection.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        if connection.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
            connection.execute("PRAGMA journal_mode=WAL")
        connection.execute("PRAGMA synchronous=NORMAL")
        connection.execute(f"PRAGMA busy_timeout={busy_timeout_ms}")
        connection.execute("PRAGMA foreign_keys=ON")
        if writer:
            connection.execute(NO_AUTOCHECKPOINT)

    return setup


def _sqlite_engine(url: URL, begin: str, *, writer: bool) -> AsyncEngine:
    """Explicit BEGIN (IMMEDIATE for writers): pysqlite's own deferred BEGIN lets a
    reader-turned-writer fail at once with SQLITE_BUSY_SNAPSHOT. A writer's BEGIN waits
    for another process's lock with asyncio.sleep (storage.sqlite_inline), not in SQLite's
    busy handler, which would block the event loop."""
    path = url.database or ""
    creator = inline_creator(path, _sqlite_setup(0, writer=True),
                             begin_wait=SQLITE_BUSY_TIMEOUT_MS / 1000) \
        if writer else inline_creator(path, _sqlite_setup(SQLITE_BUSY_TIMEOUT_MS))
    engine = create_async_engine(url.set(drivername=DRIVERNAME), async_creator=creator)

    @event.listens_for(engine.sync_engine, "begin")
    def _begin(conn: Any) -> None:
        conn.exec_driver_sql(begin)

    return engine


def _ping_after_idle(engine: AsyncEngine, after: float) -> None:
    """Ping a pooled connection at checkout only when it sat idle for `after` seconds
    (OMSBOT_DB_PING_AFTER_IDLE, default PING_AFTER_IDLE_S).

    SQLAlchemy's `pool_pre_ping` pings at every checkout, and on asyncpg a ping is three
    round trips (BEGIN, `;`, ROLLBACK): 3 of the 17 of an order's transaction. A
    connection in steady use is known to be alive; one that died meanwhile (a server
    restart) fails its statement, the pool is invalidated (SQLAlchemy's own disconnect
    handling, or storage.core_exec's) and the unit of work runs again (storage.uow).
    A failed ping raises DisconnectionError: the pool then connects afresh (SQLAlchemy
    docs, "Disconnect Handling - Pessimistic", custom ping on checkout)."""
    pool = engine.sync_engine.pool

    @event.listens_for(pool, "checkin")
    def _checked_in(dbapi_connection: Any, record: Any) -> None:
        record.info[_IDLE_SINCE] = time.monotonic()

    @event.listens_for(pool, "checkout")
    def _checked_out(dbapi_connection: Any, record: Any, proxy: Any) -> None:
        since = record.info.pop(_IDLE_SINCE, None)
        if since is None or time.monotonic() - since < after:
            return
        try:
            engine.dialect.do_ping(dbapi_connection)
        except Exception as exc:
            raise DisconnectionError(f"pooled connection is dead: {exc}") from exc


class Database:
    """The engines and session factories of one database.

    On SQLite, writers in this process queue on an asyncio lock rather than on SQLite's
    busy handler (which sleeps in coarse steps), and units of work that queue together
    share one COMMIT (storage.write_queue); other processes still wait on the busy
    timeout. Readers use a separate engine with deferred transactions (WAL lets
    them run beside the writer).
    """

    def __init__(self, url: str, *, pool_size: int = 10,
                 ping_after_idle: float = PING_AFTER_IDLE_S) -> None:
        """`ping_after_idle`: seconds a pooled PostgreSQL connection may sit idle before
        it is pinged at checkout (`_ping_after_idle`)."""
        start_mappers()
        # Reference data (products, warehouses, shipping methods) read by order intake;
        # emptied by this process's own changes, at most 2 s old otherwise.
        self.reference = ReferenceCache()
        self.url = make_url(url)
        self.is_sqlite = self.url.get_backend_name() == "sqlite"
        if self.is_sqlite:
            database = self.url.database or ""
            if database and database != ":memory:":
                Path(database).parent.mkdir(parents=True, exist_ok=True)
            self.engine = _sqlite_engine(self.url, "BEGIN IMMEDIATE", writer=True)
            self.read_engine = _sqlite_engine(self.url, "BEGIN", writer=False)
            # Writers of this process queue here and share commits (group commit).
            self.writes: WriteQueue | None = WriteQueue(
                self.engine, on_failure=self.reference.invalidate)
            # WAL checkpoints in a worker thread, after commits (storage.checkpoint).
            self.checkpointer: Checkpointer | None = None
            if database and database != ":memory:":
                self.checkpointer = Checkpointer(database, self.writes.exclusive)
                self.writes.on_commit = self.checkpointer.committed
        else:
            self.engine = create_async_engine(
                self.url, pool_size=pool_size, max_overflow=pool_size)
            _ping_after_idle(self.engine, ping_after_idle)
            self.read_engine = self.engine
            self.writes = None
            self.checkpointer = None
        self.sessions = async_sessionmaker(self.engine, expire_on_commit=False,
                                           sync_session_class=self.reference.session_class)
        self.read_sessions: async_sessionmaker[AsyncSession] = async_sessionmaker(
            self.read_engine, expire_on_commit=False
        )

    @property
    def dialect(self) -> str:
        return "sqlite" if self.is_sqlite else self.url.get_backend_name()

    @asynccontextmanager
    async def write_session(self) -> AsyncIterator[AsyncSession]:
        """A write transaction outside the unit of work (CLI, workers): commits on success."""
        if self.writes is None:
            async with self.sessions() as session, session.begin():
                yield session
            return
        async with self.writes.exclusive(), self.sessions() as session, session.begin():
            yield session

    async def dispose(self) -> None:
        if self.checkpointer is not None:
            await self.checkpointer.aclose()
        await self.engine.dispose()
        if self.read_engine is not self.engine:
            await self.read_engine.dispose()
