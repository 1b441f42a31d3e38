"""Core statements of the hot paths, executed on the session's connection.

`AsyncSession.execute` of a plain Core statement (no ORM entity) does exactly what the
connection's `execute` does (no autoflush, no ORM loading), plus the session's own
per-statement bookkeeping, a third of the statement's cost on our intake path. These run
in the session's transaction all the same: the connection is the one the session holds.

`execute_fixed` goes one step further: a fixed statement is compiled once by SQLAlchemy
(SQL text, parameter order, each parameter's bind processor: Amount scaling, UTC
datetimes, JSON) and then run straight on the driver's connection, inside the same
transaction. On SQLite (whose driver runs inline, storage.sqlite_inline) that is the
sqlite3 connection: about a tenth of the cost of a SQLAlchemy execution. On PostgreSQL it
is the asyncpg connection, awaited directly rather than through SQLAlchemy's adapter and a
greenlet per statement; the adapter's own lock is held and its transaction begun first
(as its cursor does), so the statement is in the session's transaction. It answers what
intake needs (`scalar()`, `rowcount`), and raises SQLAlchemy's IntegrityError /
DBAPIError as execute would (the driver's exception as `orig`, with its `sqlstate`).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import asyncpg
from sqlalchemy import Executable
from sqlalchemy.engine import CursorResult, Dialect
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession
from sqlalchemy.pool import PoolProxiedConnection
from sqlalchemy.sql import ClauseElement
from sqlalchemy.sql.compiler import SQLCompiler

_CONNECTION = "core_exec.connection"
_RAW = "core_exec.raw"


async def connection(session: AsyncSession) -> AsyncConnection:
    """The connection of the session's current transaction (asked once per transaction)."""
    cached: tuple[object, AsyncConnection] | None = session.info.get(_CONNECTION)
    transaction = session.sync_session.get_transaction()
    if cached is not None and transaction is not None and cached[0] is transaction:
        return cached[1]
    conn = await session.connection()
    session.info[_CONNECTION] = (session.sync_session.get_transaction(), conn)
    return conn


async def _raw_connection(session: AsyncSession, conn: AsyncConnection
                          ) -> PoolProxiedConnection:
    """The pooled driver connection under `conn`, asked once per transaction (asking
    is a greenlet hop, which a fixed statement exists to avoid)."""
    transaction = session.sync_session.get_transaction()
    cached: tuple[object, PoolProxiedConnection] | None = session.info.get(_RAW)
    if cached is not None and transaction is not None and cached[0] is transaction:
        return cached[1]
    raw = await conn.get_raw_connection()
    session.info[_RAW] = (transaction, raw)
    return raw


async def execute(session: AsyncSession, statement: Executable,
                  parameters: dict[str, Any] | list[dict[str, Any]] | None = None
                  ) -> CursorResult[Any]:
    """Run a Core `statement` (its values as `parameters`, one dict or a list for an
    executemany) in the session's transaction."""
    conn = await connection(session)
    return await conn.execute(statement, parameters)


@dataclass(frozen=True)
class _Compiled:
    sql: str
    names: tuple[str, ...]
    processors: tuple[Callable[[Any], Any] | None, ...]
    returns_rows: bool
    columns: tuple[str, ...] = ()  # the keys of the rows it returns
    readers: tuple[Callable[[Any], Any] | None, ...] = ()  # their result processors

    def values(self, params: dict[str, Any]) -> tuple[Any, ...]:
        return tuple(p(params[n]) if p else params[n]
                     for n, p in zip(self.names, self.processors, strict=True))

    def row(self, raw: Sequence[Any]) -> dict[str, Any]:
        return {key: read(value) if read else value
                for key, read, value in zip(self.columns, self.readers, raw, strict=True)}


_COMPILED: dict[tuple[Executable, tuple[str, ...], str], _Compiled] = {}


def _compiled(statement: Executable, keys: tuple[str, ...], dialect: Dialect) -> _Compiled:
    found = _COMPILED.get((statement, keys, dialect.name))
    if found is None:
        assert isinstance(statement, ClauseElement)
        compiled = statement.compile(dialect=dialect, column_keys=list(keys))
        assert isinstance(compiled, SQLCompiler) and compiled.positiontup is not None
        names = tuple(compiled.positiontup)
        found = _Compiled(compiled.string, names, tuple(
            compiled.binds[n].type.dialect_impl(dialect).bind_processor(dialect)
            for n in names), returns_rows=bool(compiled.effective_returning) or not (
                compiled.isinsert or compiled.isupdate or compiled.isdelete),
            columns=tuple(c.keyname for c in compiled._result_columns),
            readers=tuple(c.type.dialect_impl(dialect).result_processor(dialect, None)
                          for c in compiled._result_columns))
        _COMPILED[(statement, keys, dialect.name)] = found
    return found


class FixedResult:
    """What a fixed statement answered: its rows (as dicts by column key) and rowcount."""

    def __init__(self, rowcount: int, rows: list[dict[str, Any]] | None = None) -> None:
        self.rowcount = rowcount
        self.rows = rows or []

    def scalar(self) -> Any:
        """The first column of the first row; None when there is no row."""
        return next(iter(self.rows[0].values())) if self.rows else None

    def scalar_one(self) -> Any:
        found = self.scalar()
        assert found is not None, "the statement returned no row"
        return found


async def execute_fixed(session: AsyncSession, statement: Executable,
                        parameters: dict[str, Any] | Sequence[dict[str, Any]]
                        ) -> FixedResult:
    """Run a module-level Core `statement` whose parameters always have the same keys
    (one dict, or several for an executemany). See the module's docstring."""
    conn = await connection(session)
    rows: list[dict[str, Any]] = [parameters] if isinstance(parameters, dict) \
        else list(parameters)
    compiled = _compiled(statement, tuple(rows[0]), conn.dialect)
    values = [compiled.values(r) for r in rows]
    raw = await _raw_connection(session, conn)
    if conn.dialect.name == "postgresql":
        try:
            return await _on_asyncpg(raw.dbapi_connection, compiled, values,
                                     many=not isinstance(parameters, dict))
        except Exception as exc:
            if not raw.dbapi_connection._connection.is_closed():  # type: ignore[union-attr]
                raise
            raise await _lost(conn, raw, exc, compiled, values) from exc
    assert raw.driver_connection is not None
    db: sqlite3.Connection = raw.driver_connection.sqlite_connection
    try:
        if not isinstance(parameters, dict):
            cursor = db.executemany(compiled.sql, values)
            return FixedResult(cursor.rowcount)
        cursor = db.execute(compiled.sql, values[0])
        found = cursor.fetchall() if cursor.description else []
        rowcount = cursor.rowcount
        cursor.close()
    except sqlite3.Error as exc:
        raise DBAPIError.instance(compiled.sql, values, exc, sqlite3.Error) from exc
    return FixedResult(rowcount, [compiled.row(r) for r in found])


async def _lost(conn: AsyncConnection, raw: PoolProxiedConnection, exc: Exception,
                compiled: _Compiled, values: list[tuple[Any, ...]]) -> DBAPIError:
    """The connection died under a fixed statement (a server restart): invalidate it and
    the pool, as SQLAlchemy's own disconnect handling does (its asyncpg dialect's test:
    the connection `is_closed()`), and say so as SQLAlchemy would: a DBAPIError with
    `connection_invalidated`, which the unit of work runs again."""
    conn.sync_engine.pool._invalidate(raw, exc)  # as sqlalchemy.engine.Connection does
    await conn.invalidate(exc)
    return DBAPIError(compiled.sql, values, exc, connection_invalidated=True)


async def _on_asyncpg(adapted: Any, compiled: _Compiled, values: list[tuple[Any, ...]],
                      *, many: bool) -> FixedResult:
    """The statement on SQLAlchemy's asyncpg adapter's connection, as its cursor runs
    one: under the adapter's lock, after its transaction has begun (the adapter begins
    lazily, at the first statement)."""
    pg: asyncpg.Connection = adapted._connection
    async with adapted._execute_mutex:
        if adapted._transaction is None:
            await adapted._start_transaction()
        try:
            if many:
                await pg.executemany(compiled.sql, values)
                return FixedResult(len(values))
            if compiled.returns_rows:
                found = await pg.fetch(compiled.sql, *values[0])
                return FixedResult(len(found), [compiled.row(r) for r in found])
            status = await pg.execute(compiled.sql, *values[0])
        except asyncpg.IntegrityConstraintViolationError as exc:
            raise IntegrityError(compiled.sql, values, exc) from exc
        except asyncpg.PostgresError as exc:
            raise DBAPIError(compiled.sql, values, exc) from exc
    # the command tag: "UPDATE 1", "INSERT 0 1", "DELETE 3"
    return FixedResult(int(status.rsplit(" ", 1)[-1]))
