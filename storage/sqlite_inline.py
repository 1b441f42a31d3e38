"""SQLite for SQLAlchemy's aiosqlite dialect, executed inline on the event loop thread.

aiosqlite runs every call (cursor, execute, fetch, close) on a helper thread; an order's
unit of work makes ~80 such hops, and each hop waits for the GIL behind the busy event
loop. SQLite statements take microseconds and never wait on the network, so running them
inline is far faster. The price: a write lock held by ANOTHER process makes this process
wait (up to the busy timeout) with its loop blocked; within one process writers queue on
an asyncio lock first (storage.engine.Database), so that wait only happens when several
processes share one SQLite file — the scale-out path is PostgreSQL.
"""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import Callable, Iterable, Sequence
from typing import Any


class InlineCursor:
    def __init__(self, cursor: sqlite3.Cursor) -> None:
        self._cursor = cursor

    async def __aenter__(self) -> InlineCursor:
        return self

    async def __aexit__(self, *exc: object) -> None:
        self._cursor.close()

    async def execute(self, sql: str, parameters: Sequence[Any] | None = None) -> InlineCursor:
        self._cursor.execute(sql, parameters or ())
        return self

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


class InlineConnection:
    def __init__(self, connection: sqlite3.Connection) -> None:
        self._conn = connection
        self._connection: sqlite3.Connection | None = connection
        self._tx = _RunNow()

    def cursor(self) -> InlineCursor:
        assert self._connection is not None
        return InlineCursor(self._connection.cursor())

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


def inline_creator(path: str, setup: Callable[[sqlite3.Connection], None]
                   ) -> Callable[[], Any]:
    """An `async_creator` for create_async_engine."""

    async def connect() -> InlineConnection:
        connection = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        setup(connection)
        return InlineConnection(connection)

    return connect
