"""Group commit on SQLite (storage/write_queue.py): units of work that queue together share
one COMMIT, each keeps its own outcome, and none returns before its work is durable."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from sqlalchemy import event
from sqlalchemy.exc import OperationalError
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlalchemy.sql.expression import (
    ReleaseSavepointClause,
    RollbackToSavepointClause,
    SavepointClause,
)

from bot.bootstrap import Core
from storage import reservations
from storage.sqlite_inline import InlineConnection, InlineDialect
from storage.uow import SqlUnitOfWork
from tests.catalog import order_command, small_shop
from tests.conftest import NOW


def _count_commits(core: Core) -> list[int]:
    commits = [0]

    @event.listens_for(core.db.engine.sync_engine, "commit")
    def _commit(_conn: Any) -> None:
        commits[0] += 1

    return commits


async def _place(core: Core, external_id: str) -> int:
    result = await core.bus.handle(order_command(external_id))
    # Returned: so it is committed, and another connection (the read engine) sees it.
    assert await core.views.order(result.order_id) is not None
    return int(result.order_id)


async def _reserve_then_fail(core: Core) -> None:
    async with SqlUnitOfWork(core.db) as uow:
        uow.stock.reserve_on_commit("MUG-01", "MIL", 5)
        await reservations.make_pending(uow.session)  # written, then the failure
        raise RuntimeError("this unit of work fails after writing")


async def test_queued_orders_share_commits_and_a_failure_stays_its_own(
        sqlite_core: Core) -> None:
    core = sqlite_core
    await small_shop(core.bus)
    commits = _count_commits(core)
    outcomes = await asyncio.gather(
        _place(core, "G-0"), _reserve_then_fail(core), _place(core, "G-1"),
        *(_place(core, f"G-{i}") for i in range(2, 8)), return_exceptions=True)
    failures = [o for o in outcomes if isinstance(o, BaseException)]
    assert [str(f) for f in failures] == ["this unit of work fails after writing"]
    assert len({o for o in outcomes if isinstance(o, int)}) == 8
    assert commits[0] < 8  # eight orders, fewer COMMITs
    levels = await core.views.inventory("MUG-01")
    assert levels is not None and levels[0]["reserved"] == 16  # not 21: the 5 rolled back


async def test_a_failed_group_commit_runs_every_member_again(
        sqlite_core: Core, monkeypatch: pytest.MonkeyPatch) -> None:
    core = sqlite_core
    await small_shop(core.bus)
    real_commit = AsyncConnection.commit
    failed = [0]

    async def commit_failing_once(self: AsyncConnection) -> None:
        if not failed[0]:
            failed[0] = 1
            raise OperationalError("COMMIT", {}, Exception("disk I/O error"))
        await real_commit(self)

    monkeypatch.setattr(AsyncConnection, "commit", commit_failing_once)
    ids = await asyncio.gather(*(_place(core, f"F-{i}") for i in range(6)))
    assert failed[0] == 1
    assert sorted(ids) == list(range(1, 7))  # each stored once, none lost
    levels = await core.views.inventory("MUG-01")
    assert levels is not None and levels[0]["reserved"] == 12
    day = NOW.date()
    entries = [ln["entry"] for ln in await core.views.journal(day, day)]
    assert len(entries) == 12 and len(set(entries)) == 6  # one payment entry per order


async def test_savepoints_go_straight_to_sqlite(sqlite_core: Core) -> None:
    """Later members' SAVEPOINTs skip SQLAlchemy's execution path (InlineDialect), as the
    statements its compiler would write, and group commit still keeps outcomes apart."""
    core = sqlite_core
    await small_shop(core.bus)
    assert isinstance(core.db.engine.sync_engine.dialect, InlineDialect)
    through_sqlalchemy: list[str] = []

    @event.listens_for(core.db.engine.sync_engine, "before_cursor_execute")
    def _seen(_c: Any, _cur: Any, statement: str, *_: Any) -> None:
        through_sqlalchemy.append(statement)

    sent: list[str] = []
    savepoints = [0]

    @event.listens_for(core.db.engine.sync_engine, "savepoint")
    def _savepoint(_conn: Any, _name: str) -> None:
        savepoints[0] += 1

    await asyncio.gather(_reserve_then_fail(core), *(_place(core, f"S-{i}") for i in range(6)),
                         return_exceptions=True)
    assert savepoints[0] >= 1  # the group had later members
    assert not [s for s in through_sqlalchemy if "SAVEPOINT" in s.upper()]
    dialect = core.db.engine.sync_engine.dialect
    for name in ("sa_savepoint_1", "two words", "Select"):
        for clause in (SavepointClause(name), RollbackToSavepointClause(name),
                       ReleaseSavepointClause(name)):
            sent.clear()
            fake = _FakeConnection(sent)
            {SavepointClause: dialect.do_savepoint,
             RollbackToSavepointClause: dialect.do_rollback_to_savepoint,
             ReleaseSavepointClause: dialect.do_release_savepoint}[type(clause)](
                fake, name)  # type: ignore[arg-type]
            assert sent == [str(clause.compile(dialect=dialect))]


class _FakeConnection:
    """What `InlineDialect` reads of a Connection: connection.driver_connection."""

    def __init__(self, sent: list[str]) -> None:
        class _Sqlite:
            def execute(self, sql: str) -> None:
                sent.append(sql)

        inline = InlineConnection.__new__(InlineConnection)
        inline._conn = _Sqlite()  # type: ignore[assignment]
        self.connection = type("Fairy", (), {"driver_connection": inline})()
