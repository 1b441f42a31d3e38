"""Writes sent with the transaction's next statement (storage.core_exec.execute_later), on
both databases: what a unit of work queued is stored by its commit, ids included; a later
statement of the same transaction sees it; a rollback drops it; on PostgreSQL the queued
writes and the first stock reservation are one statement."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from bot.bootstrap import Core
from domain.errors import Retry
from domain.notifications import AuditEntry, Notification
from storage import core_exec, orm, pg_batch
from storage.repositories import _AUDIT_INSERT
from storage.uow import SqlUnitOfWork
from tests.catalog import small_shop

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


def _note(n: int) -> Notification:
    return Notification("email", "order_confirmation", f"c{n}@example.com", {"n": n}, NOW, NOW)


def _audit(n: int) -> AuditEntry:
    return AuditEntry(NOW, "test", "test", "later.write", f"#{n}", {"n": n})


async def _count(core: Core, table: Any) -> int:
    async with core.db.read_sessions() as s:
        return int(await s.scalar(select(func.count()).select_from(table)) or 0)


async def _audit_then_fail(core: Core) -> None:
    async with SqlUnitOfWork(core.db) as uow:
        await uow.audit.add(_audit(1))
        raise RuntimeError("the handler fails")


async def _write_and_reserve(core: Core, units: int) -> None:
    async with SqlUnitOfWork(core.db) as uow:
        await uow.audit.add(_audit(2))
        await uow.outbox.add(_note(2))
        uow.stock.reserve_on_commit("MUG-01", "MIL", units)
        await uow.commit()


@pytest.fixture
def statements(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The SQL of each statement sent straight to asyncpg (PostgreSQL only)."""
    sent: list[str] = []
    original = core_exec._on_asyncpg

    async def spy(adapted: Any, compiled: Any, values: Any, *, many: bool) -> Any:
        sent.append(compiled.sql)
        return await original(adapted, compiled, values, many=many)

    monkeypatch.setattr(core_exec, "_on_asyncpg", spy)
    return sent


async def test_queued_writes_are_stored_by_the_commit_with_their_ids(
        core: Core, statements: list[str]) -> None:
    notes = [_note(n) for n in range(3)]
    async with SqlUnitOfWork(core.db) as uow:
        for n, note in enumerate(notes):
            assert await uow.outbox.add(note)
            await uow.audit.add(_audit(n))
        await uow.commit()
    async with core.db.read_sessions() as s:
        stored = dict((await s.execute(select(orm.notifications.c.id,
                                              orm.notifications.c.recipient))).all())
    assert {note.id: note.recipient for note in notes} == stored
    assert await _count(core, orm.audit_log) == 3
    if core.db.dialect == "postgresql":  # six writes, one statement (sent before COMMIT)
        assert len(statements) == 1 and statements[0].startswith("WITH w0 AS (INSERT")


async def test_a_later_statement_of_the_transaction_sees_them(core: Core) -> None:
    async with SqlUnitOfWork(core.db) as uow:
        await uow.audit.add(_audit(1))  # then a read through SQLAlchemy
        assert await uow.session.scalar(text("SELECT count(*) FROM audit_log")) == 1
        await uow.audit.add(_audit(2))  # then a statement of our own
        found = await core_exec.execute_fixed(
            uow.session, select(func.count()).select_from(orm.audit_log), {})
        assert found.scalar() == 2
        await uow.commit()
    assert await _count(core, orm.audit_log) == 2


async def test_a_rollback_drops_them(core: Core) -> None:
    async with SqlUnitOfWork(core.db) as uow:
        await uow.audit.add(_audit(1))
        await uow.outbox.add(_note(1))
        await uow.rollback()
        await uow.audit.add(_audit(2))  # the same session, a new transaction
        await uow.commit()
    async with core.db.read_sessions() as s:
        subjects = list(await s.scalars(select(orm.audit_log.c.subject)))
    assert subjects == ["#2"]
    assert await _count(core, orm.notifications) == 0


async def test_a_failed_unit_of_work_stores_none_of_them(core: Core) -> None:
    with pytest.raises(RuntimeError):
        await _audit_then_fail(core)
    async with SqlUnitOfWork(core.db) as uow:  # the pooled connection, used again
        await uow.commit()
    assert await _count(core, orm.audit_log) == 0


async def test_they_go_with_the_reservation_and_fall_with_it(
        core: Core, statements: list[str]) -> None:
    await small_shop(core.bus, stock=5)
    statements.clear()
    async with SqlUnitOfWork(core.db) as uow:
        await uow.audit.add(_audit(1))
        uow.stock.reserve_on_commit("MUG-01", "MIL", 2)
        await uow.commit()
    if core.db.dialect == "postgresql":
        assert len(statements) == 1 and "UPDATE stock_levels" in statements[0]
    before = await _count(core, orm.audit_log)
    with pytest.raises(Retry):  # 4 more do not fit: nothing of that unit of work stays
        await _write_and_reserve(core, 4)
    assert await _count(core, orm.audit_log) == before
    assert await _count(core, orm.notifications) == 0


async def test_a_long_queue_goes_in_statements_under_the_parameter_limit(
        core: Core, statements: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(core_exec, "MAX_PARAMETERS", 50)  # an audit row has 6
    async with SqlUnitOfWork(core.db) as uow:
        for n in range(30):
            await uow.audit.add(_audit(n))
        await uow.commit()
    assert await _count(core, orm.audit_log) == 30
    if core.db.dialect == "postgresql":
        assert len(statements) == 4  # 8 + 8 + 8 + 6 rows
        assert max(s.count("INSERT") for s in statements) == 8


def test_placeholders_are_renumbered_part_after_part() -> None:
    parts = (pg_batch.Part("INSERT INTO a (x, y) VALUES ($1::INT, $2::INT)", 2,
                           pg_batch.Want.NOTHING),
             pg_batch.Part("INSERT INTO b (x) VALUES ($1::INT) RETURNING b.id", 1,
                           pg_batch.Want.VALUE),
             pg_batch.Part("UPDATE c SET n = $1::INT WHERE k = $2::INT RETURNING c.k", 2,
                           pg_batch.Want.COUNT))
    assert pg_batch.combined_sql(parts) == (
        "WITH w0 AS (INSERT INTO a (x, y) VALUES ($1::INT, $2::INT)), "
        "w1 AS (INSERT INTO b (x) VALUES ($3::INT) RETURNING b.id), "
        "w2 AS (UPDATE c SET n = $4::INT WHERE k = $5::INT RETURNING c.k) "
        "SELECT (SELECT * FROM w1), (SELECT count(*) FROM w2)")


async def test_a_rollback_on_a_connection_kept_checked_out_drops_them(core: Core) -> None:
    # a session bound to a connection of ours: its rollback does not return the connection
    # to the pool, so the rollback itself must drop what was queued
    async with core.db.engine.connect() as conn:
        session = AsyncSession(bind=conn)
        await core_exec.execute_later(session, _AUDIT_INSERT, _audit_row(1))
        await session.rollback()
        await core_exec.execute_later(session, _AUDIT_INSERT, _audit_row(2))
        await session.commit()
        await session.close()
    async with core.db.read_sessions() as s:
        assert list(await s.scalars(select(orm.audit_log.c.subject))) == ["#2"]


def _audit_row(n: int) -> dict[str, Any]:
    return {"at": NOW, "actor": "test", "channel": "test", "action": "later.write",
            "subject": f"#{n}", "details": {"n": n}}
