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

`execute_later` is for a fixed INSERT whose result the transaction does not need before
its next statement. On PostgreSQL it is queued on the connection and sent with that next
statement, in one round trip (storage.pg_batch): queued writes go before any other
statement (ours here, or SQLAlchemy's: `install` hooks its cursor and COMMIT events), and
a rollback drops them. Intake's journal lines, audit row and confirmation thus ride with
the stock reservation (storage.reservations), three round trips fewer per order. On
SQLite, whose statements cost no round trip, it runs at once.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import asyncpg
from sqlalchemy import Executable, event
from sqlalchemy.engine import Connection, CursorResult, Dialect
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, AsyncSession
from sqlalchemy.pool import PoolProxiedConnection
from sqlalchemy.sql import ClauseElement
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.util import await_only

from storage.pg_batch import MAX_PARAMETERS, Part, Want, combined_sql

_CONNECTION = "core_exec.connection"
_RAW = "core_exec.raw"
_LATER = "core_exec.later"  # in the pooled connection's info: writes not sent yet


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
        if raw.info.get(_LATER):
            await _send_later(conn, raw, None)
        return await _on_postgresql(conn, raw, compiled, values,
                                    many=not isinstance(parameters, dict))
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


async def _on_postgresql(conn: AsyncConnection, raw: PoolProxiedConnection,
                         compiled: _Compiled, values: list[tuple[Any, ...]], *, many: bool
                         ) -> FixedResult:
    try:
        return await _on_asyncpg(raw.dbapi_connection, compiled, values, many=many)
    except Exception as exc:
        if not raw.dbapi_connection._connection.is_closed():  # type: ignore[union-attr]
            raise
        raise await _lost(conn, raw, exc, compiled, values) from exc


@dataclass(frozen=True)
class _Later:
    compiled: _Compiled
    values: tuple[Any, ...]
    returned: Callable[[Any], None] | None  # given the RETURNING value, once known


async def execute_later(session: AsyncSession, statement: Executable,
                        parameters: dict[str, Any] | Sequence[dict[str, Any]], *,
                        returned: Callable[[Any], None] | None = None) -> None:
    """Run a module-level INSERT (as `execute_fixed` takes it) with the transaction's next
    statement (see the module's docstring). `returned`: for one row with RETURNING, called
    with its first column once the row is written (before `execute_later` returns on
    SQLite; by the next statement or the COMMIT on PostgreSQL)."""
    conn = await connection(session)
    if conn.dialect.name != "postgresql":
        result = await execute_fixed(session, statement, parameters)
        if returned is not None:
            returned(result.scalar())
        return
    rows = [parameters] if isinstance(parameters, dict) else list(parameters)
    assert returned is None or len(rows) == 1, "RETURNING is read for one row only"
    compiled = _compiled(statement, tuple(rows[0]), conn.dialect)
    raw = await _raw_connection(session, conn)
    queued: list[_Later] = raw.info.setdefault(_LATER, [])
    if sum(len(w.values) for w in queued) + len(compiled.names) * len(rows) > MAX_PARAMETERS:
        await _send_later(conn, raw, None)
        queued = raw.info.setdefault(_LATER, [])
    queued.extend(_Later(compiled, compiled.values(r), returned) for r in rows)


async def execute_with_later(session: AsyncSession, statement: Executable,
                             parameters: dict[str, Any]) -> int:
    """Run a module-level UPDATE … RETURNING of at most one row together with the queued
    writes (one round trip on PostgreSQL); the number of rows it updated (0 or 1)."""
    conn = await connection(session)
    raw = await _raw_connection(session, conn)
    if conn.dialect.name != "postgresql" or not raw.info.get(_LATER):
        return (await execute_fixed(session, statement, parameters)).rowcount
    check = _compiled(statement, tuple(parameters), conn.dialect)
    return await _send_later(conn, raw, (check, check.values(parameters)))


async def _send_later(conn: AsyncConnection, raw: PoolProxiedConnection,
                      check: tuple[_Compiled, tuple[Any, ...]] | None) -> int:
    """Send the queued writes (and `check`, counted) as one statement."""
    queued: list[_Later] = raw.info.pop(_LATER, None) or []
    combined, values = _combined(queued, check)
    found = (await _on_postgresql(conn, raw, combined, [values], many=False)).rows[0]
    return _spread(queued, check, list(found.values()))


def _combined(queued: Sequence[_Later], check: tuple[_Compiled, tuple[Any, ...]] | None
              ) -> tuple[_Compiled, tuple[Any, ...]]:
    parts = [Part(w.compiled.sql, len(w.compiled.names),
                  Want.VALUE if w.returned else Want.NOTHING) for w in queued]
    values = [v for w in queued for v in w.values]
    if check is not None:
        parts.append(Part(check[0].sql, len(check[0].names), Want.COUNT))
        values.extend(check[1])
    wanted = sum(p.want is not Want.NOTHING for p in parts) or 1
    return _Compiled(combined_sql(tuple(parts)), (), (), returns_rows=True,
                     columns=tuple(f"c{n}" for n in range(wanted)),
                     readers=(None,) * wanted), tuple(values)


def _spread(queued: Sequence[_Later], check: object, found: list[Any]) -> int:
    """Hand each RETURNING value to its writer; the check's count (0 without one)."""
    answers = iter(found)
    for write in queued:
        if write.returned is not None:
            write.returned(next(answers))
    return int(next(answers)) if check is not None else 0


def install(engine: AsyncEngine) -> None:
    """On a PostgreSQL engine: queued writes go before any statement SQLAlchemy runs and
    before COMMIT; a rollback (or a connection back in the pool) drops them."""

    def send(conn: Connection, *_: Any) -> None:
        if conn.info.get(_LATER):
            queued: list[_Later] = conn.info.pop(_LATER)
            combined, values = _combined(queued, None)
            adapted = conn.connection.dbapi_connection
            result = await_only(_on_asyncpg(adapted, combined, [values], many=False))
            _spread(queued, None, list(result.rows[0].values()))

    def drop(conn: Connection, *_: Any) -> None:
        if not conn.invalidated:  # an invalidated one reconnects with its info cleared
            conn.info.pop(_LATER, None)

    sync = engine.sync_engine
    event.listen(sync, "before_cursor_execute", send)
    event.listen(sync, "commit", send)
    event.listen(sync, "rollback", drop)
    event.listen(sync.pool, "checkin", lambda _dbapi, record: record.info.pop(_LATER, None))


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
