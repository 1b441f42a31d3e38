"""Engines for SQLite (embedded) and PostgreSQL (scale-out), tuned for our write pattern."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

from storage.orm import start_mappers

SQLITE_BUSY_TIMEOUT_MS = 30_000


def _sqlite_events(engine: AsyncEngine, begin: str) -> None:
    """WAL, a busy timeout, and explicit BEGIN (IMMEDIATE for writers): pysqlite's own
    deferred BEGIN lets a reader-turned-writer fail at once with SQLITE_BUSY_SNAPSHOT."""

    @event.listens_for(engine.sync_engine, "connect")
    def _connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()

    @event.listens_for(engine.sync_engine, "begin")
    def _begin(conn: Any) -> None:
        conn.exec_driver_sql(begin)


class Database:
    """The engines and session factories of one database.

    On SQLite, writers in this process queue on an asyncio lock rather than on SQLite's
    busy handler (which sleeps in coarse steps); other processes still wait on the
    busy timeout. Readers use a separate engine with deferred transactions (WAL lets
    them run beside the writer).
    """

    def __init__(self, url: str, *, pool_size: int = 10) -> None:
        start_mappers()
        self.url = make_url(url)
        self.is_sqlite = self.url.get_backend_name() == "sqlite"
        if self.is_sqlite:
            database = self.url.database or ""
            if database and database != ":memory:":
                Path(database).parent.mkdir(parents=True, exist_ok=True)
            self.engine = create_async_engine(self.url)
            self.read_engine = create_async_engine(self.url)
            _sqlite_events(self.engine, "BEGIN IMMEDIATE")
            _sqlite_events(self.read_engine, "BEGIN")
            self.write_lock: asyncio.Lock | None = asyncio.Lock()
        else:
            self.engine = create_async_engine(
                self.url, pool_size=pool_size, max_overflow=pool_size, pool_pre_ping=True
            )
            self.read_engine = self.engine
            self.write_lock = None
        self.sessions = async_sessionmaker(self.engine, expire_on_commit=False)
        self.read_sessions: async_sessionmaker[AsyncSession] = async_sessionmaker(
            self.read_engine, expire_on_commit=False
        )

    @property
    def dialect(self) -> str:
        return "sqlite" if self.is_sqlite else self.url.get_backend_name()

    @asynccontextmanager
    async def write_session(self) -> AsyncIterator[AsyncSession]:
        """A write transaction outside the unit of work (CLI, workers): commits on success."""
        if self.write_lock is not None:
            await self.write_lock.acquire()
        try:
            async with self.sessions() as session, session.begin():
                yield session
        finally:
            if self.write_lock is not None:
                self.write_lock.release()

    async def dispose(self) -> None:
        await self.engine.dispose()
        if self.read_engine is not self.engine:
            await self.read_engine.dispose()
