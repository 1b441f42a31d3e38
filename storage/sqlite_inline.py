"""SQLite for SQLAlchemy's aiosqlite dialect, executed inline on the event loop thread.

aiosqlite runs every call (cursor, execute, fetch, close) on a helper thread; an order's
unit of work makes ~80 such hops, and each hop waits for the GIL behind the busy event
loop. SQLite statements take microseconds and never wait on the network, so running them
inline is far faster. One wait is not microseconds: `BEGIN IMMEDIATE` while ANOTHER
process holds the write lock (an `omsbot import` beside the server). Writer connections
therefore have no busy timeout, and their BEGIN is retried here with asyncio.sleep and
back-off, so the loop keeps serving while it waits (within one process writers queue on an
asyncio lock first: storage.engine.Database).
"""

from __future__ import annotations

import asyncio
import sqlite3
import time
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from sqlalchemy.dialects import registry
from sqlalchemy.dialects.sqlite.aiosqlite import SQLiteDialect_aiosqlite
from sqlalchemy.engine import Connection

FIRST_PAUSE = 0.001  # seconds between tries of a BEGIN that found the database locked
LONGEST_PAUSE = 0.05


class InlineCursor:
    def __init__(self, cursor: sqlite3.Cursor, begin_wait: float = 0.0) -> None:
        self._cursor = cursor
        self._begin_wait = begin_wait

    async def __aenter__(self) -> InlineCursor:
        return self

    async def __aexit__(self, *exc: object) -> None:
        self._cursor.close()

    async def execute(self, sql: str, parameters: Sequence[Any] | None = None) -> InlineCursor:
        if self._begin_wait and sql.startswith("BEGIN"):
            await self._begin(sql)
        else:
            self._cursor.execute(sql, parameters or ())
        return self

    async def _begin(self, sql: str) -> None:
        """BEGIN, retried off the loop's back while another process holds the lock (for
        up to `begin_wait` seconds, then SQLite's own "database is locked")."""
        deadline = time.monotonic() + self._begin_wait
        pause = FIRST_PAUSE
        while True:
            try:
                self._cursor.execute(sql)
                return
            except sqlite3.OperationalError as exc:
                if not _busy(exc) or time.monotonic() >= deadline:
                    raise
            await asyncio.sleep(pause)
            pause = min(LONGEST_PAUSE, pause * 2)

    async def executemany(self, sql: str, parameters: Iterable[Sequence[Any]]) -> InlineCursor:
        self._cursor.executemany(sql, parameters)
        return self

    async def fetchone(self) -> Any:
        return self._cursor.fetchone()

    async def fetchmany(self, size: int | None = None) -> list[Any]:
        return self._cursor.fetchmany(size or self._cursor.arraysize)

    async def fetchall(self) -> list[Any]:
        return self._cursor.fetchall()

    async def close(self) -> None:
        self._cursor.close()

    @property
    def description(self) -> Any:
        return self._cursor.description

    @property
    def rowcount(self) -> int:
        return self._cursor.rowcount

    @property
    def lastrowid(self) -> int | None:
        return self._cursor.lastrowid

    @property
    def arraysize(self) -> int:
        return self._cursor.arraysize

    @arraysize.setter
    def arraysize(self, value: int) -> None:
        self._cursor.arraysize = value


class _RunNow:
    """Stands in for aiosqlite's request queue: SQLAlchemy's isolation-level setter puts a
    (future, function) pair on it; we run the function at once."""

    def put_nowait(self, item: tuple[asyncio.Future[Any], Callable[[], Any]]) -> None:
        future, function = item
        try:
            future.set_result(function())
        except Exception as exc:  # handed to the awaiting caller
            future.set_exception(exc)


def _busy(exc: sqlite3.OperationalError) -> bool:
    """SQLITE_BUSY or one of its extended codes ("database is locked")."""
    return int(getattr(exc, "sqlite_errorcode", 0)) & 0xFF == sqlite3.SQLITE_BUSY


class InlineConnection:
    def __init__(self, connection: sqlite3.Connection, begin_wait: float = 0.0) -> None:
        self._conn = connection
        self._connection: sqlite3.Connection | None = connection
        self._tx = _RunNow()
        self._begin_wait = begin_wait

    @property
    def sqlite_connection(self) -> sqlite3.Connection:
        """The sqlite3 connection itself (storage.core_exec runs fixed statements on it)."""
        return self._conn

    def cursor(self) -> InlineCursor:
        assert self._connection is not None
        return InlineCursor(self._connection.cursor(), self._begin_wait)

    @property
    def isolation_level(self) -> str | None:
        return self._conn.isolation_level

    async def create_function(self, *args: Any, **kwargs: Any) -> None:
        self._conn.create_function(*args, **kwargs)

    async def commit(self) -> None:
        self._conn.commit()

    async def rollback(self) -> None:
        self._conn.rollback()

    async def close(self) -> None:
        if self._connection is not None:
            self._connection = None
            self._conn.close()

    def stop(self) -> None:
        if self._connection is not None:
            self._connection = None
            self._conn.close()


def inline_creator(path: str, setup: Callable[[sqlite3.Connection], None], *,
                   begin_wait: float = 0.0) -> Callable[[], Any]:
    """An `async_creator` for create_async_engine. `begin_wait` > 0: the connection's
    BEGIN waits for another process's lock that long, on the event loop (give such
    connections `PRAGMA busy_timeout=0` in `setup`, so SQLite itself does not wait)."""

    async def connect() -> InlineConnection:
        connection = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        setup(connection)
        return InlineConnection(connection, begin_wait)

    return connect


class InlineDialect(SQLiteDialect_aiosqlite):
    """SQLAlchemy's aiosqlite dialect, its SAVEPOINTs sent straight to sqlite3.

    Every later member of a group commit (storage.write_queue) works in a SAVEPOINT, and
    `DefaultDialect.do_savepoint` (and its release) runs a statement object through the
    whole execution path each time: about 6.6 % of the server's time for an order at 8
    clients (py-spy), for a statement SQLite answers in microseconds. SQLAlchemy still
    keeps the savepoints' state; only the statements skip its execution path (they have
    no parameters and no result, and engine events are not needed for them)."""

    supports_statement_cache = True  # a subclass must say so again (SQLAlchemy 1.4 caching)

    def do_savepoint(self, connection: Connection, name: str) -> None:
        self._savepoint(connection, "SAVEPOINT", name)

    def do_rollback_to_savepoint(self, connection: Connection, name: str) -> None:
        self._savepoint(connection, "ROLLBACK TO SAVEPOINT", name)

    def do_release_savepoint(self, connection: Connection, name: str) -> None:
        self._savepoint(connection, "RELEASE SAVEPOINT", name)

    def _savepoint(self, connection: Connection, verb: str, name: str) -> None:
        """`verb` and the name, quoted as SQLAlchemy's compiler does (visit_savepoint)."""
        inline = connection.connection.driver_connection
        assert isinstance(inline, InlineConnection)
        ident = self.identifier_preparer.quote(name)
        inline.sqlite_connection.execute(f"{verb} {ident}")


registry.register("sqlite.omsbot_inline", __name__, "InlineDialect")
DRIVERNAME = "sqlite+omsbot_inline"  # the URL driver name that selects InlineDialect
