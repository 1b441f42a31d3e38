"""Core statements of the hot paths, executed on the session's connection.

`AsyncSession.execute` of a plain Core statement (no ORM entity) does exactly what the
connection's `execute` does (no autoflush, no ORM loading), plus the session's own
per-statement bookkeeping, a third of the statement's cost on our intake path. These run
in the session's transaction all the same: the connection is the one the session holds.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Executable
from sqlalchemy.engine import CursorResult
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

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
