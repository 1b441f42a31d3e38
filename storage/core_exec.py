"""Core statements of the hot paths, executed on the session's connection.

`AsyncSession.execute` of a plain Core statement (no ORM entity) does exactly what the
connection's `execute` does (no autoflush, no ORM loading), plus the session's own
per-statement bookkeeping, a third of the statement's cost on our intake path. These run
in the session's transaction all the same: the connection is the one the session holds.

`execute_fixed` goes one step further on SQLite, whose driver runs inline
(storage.sqlite_inline): a fixed statement is compiled once by SQLAlchemy (SQL text,
parameter order, each parameter's bind processor: Amount scaling, UTC datetimes, JSON)
and then run straight on the sqlite3 connection, inside the same transaction: about a
tenth of the cost of a SQLAlchemy execution. It answers what intake needs (`scalar()`,
`rowcount`), and raises SQLAlchemy's IntegrityError / DBAPIError as execute would. On
PostgreSQL it is `execute`.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Executable
from sqlalchemy.engine import CursorResult, Dialect
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession
from sqlalchemy.sql import ClauseElement
from sqlalchemy.sql.compiler import SQLCompiler

_CONNECTION = "core_exec.connection"


async def connection(session: AsyncSession) -> AsyncConnection:
    """The connection of the session's current transaction (asked once per transaction)."""
    cached: tuple[object, AsyncConnection] | None = session.info.get(_CONNECTION)
    transaction = session.sync_session.get_transaction()
    if cached is not None and transaction is not None and cached[0] is transaction:
        return cached[1]
    conn = await session.connection()
    session.info[_CONNECTION] = (session.sync_session.get_transaction(), conn)
    return conn


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

    def values(self, params: dict[str, Any]) -> tuple[Any, ...]:
        return tuple(p(params[n]) if p else params[n]
                     for n, p in zip(self.names, self.processors, strict=True))


_COMPILED: dict[tuple[Executable, tuple[str, ...]], _Compiled] = {}


def _compiled(statement: Executable, keys: tuple[str, ...], dialect: Dialect) -> _Compiled:
    found = _COMPILED.get((statement, keys))
    if found is None:
        assert isinstance(statement, ClauseElement)
        compiled = statement.compile(dialect=dialect, column_keys=list(keys))
        assert isinstance(compiled, SQLCompiler) and compiled.positiontup is not None
        names = tuple(compiled.positiontup)
        found = _Compiled(compiled.string, names, tuple(
            compiled.binds[n].type.dialect_impl(dialect).bind_processor(dialect)
            for n in names))
        _COMPILED[(statement, keys)] = found
    return found


class FixedResult:
    """What a fixed statement answered: its first column of the first row, and rowcount."""

    def __init__(self, first: Any, rowcount: int) -> None:
        self._first = first
        self.rowcount = rowcount

    def scalar(self) -> Any:
        return self._first

    def scalar_one(self) -> Any:
        assert self._first is not None, "the statement returned no row"
        return self._first


async def execute_fixed(session: AsyncSession, statement: Executable,
                        parameters: dict[str, Any] | Sequence[dict[str, Any]]
                        ) -> FixedResult | CursorResult[Any]:
    """Run a module-level Core `statement` whose parameters always have the same keys
    (one dict, or several for an executemany). See the module's docstring."""
    conn = await connection(session)
    if conn.dialect.name != "sqlite":
        return await conn.execute(statement, parameters)
    raw = (await conn.get_raw_connection()).driver_connection
    assert raw is not None
    db: sqlite3.Connection = raw.sqlite_connection
    many = not isinstance(parameters, dict)
    rows: list[dict[str, Any]] = [parameters] if isinstance(parameters, dict) \
        else list(parameters)
    compiled = _compiled(statement, tuple(rows[0]), conn.dialect)
    values = [compiled.values(r) for r in rows]
    try:
        if many:
            cursor = db.executemany(compiled.sql, values)
            return FixedResult(None, cursor.rowcount)
        cursor = db.execute(compiled.sql, values[0])
        row = cursor.fetchone() if cursor.description else None
        rowcount = cursor.rowcount
        cursor.close()
    except sqlite3.Error as exc:
        raise DBAPIError.instance(compiled.sql, values, exc, sqlite3.Error) from exc
    return FixedResult(None if row is None else row[0], rowcount)
