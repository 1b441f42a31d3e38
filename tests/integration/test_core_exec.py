"""storage.core_exec.execute_fixed stores exactly what SQLAlchemy's execute stores (money
scaled, UTC times, JSON) and fails the same way, on both databases."""

from __future__ import annotations

import sqlite3
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import bindparam, insert, select, update
from sqlalchemy.exc import IntegrityError

from bot.bootstrap import Core
from storage import core_exec, orm
from storage.orm_money import journal_lines
from storage.repositories import SqlStock
from tests.catalog import order_command, small_shop

AT = datetime(2026, 11, 24, 10, 0, 5, 123456, tzinfo=UTC)
LINE = {"day": date(2026, 11, 24), "at": AT, "entry": "PAY-000001", "account": "cash",
        "debit": Decimal("12.34"), "credit": Decimal(0), "currency": "EUR",
        "debit_base": None, "credit_base": Decimal("1.5"), "order_id": 1, "return_id": None,
        "memo": "payment (web)"}
AUDIT = {"at": AT, "actor": "api:shop", "channel": "api", "action": "order.place",
         "subject": "ORD-000001", "details": {"lines": [1, "café"], "note": None}}


def _without_ids(rows: Any) -> list[tuple[Any, ...]]:
    return [tuple(row)[1:] for row in rows]


async def test_fixed_statements_store_what_execute_stores(core: Core) -> None:
    async with core.db.sessions() as s:
        await s.execute(insert(journal_lines), [LINE])
        await s.execute(insert(orm.audit_log), AUDIT)
        await core_exec.execute_fixed(s, insert(journal_lines), [LINE])
        audit_id = (await core_exec.execute_fixed(
            s, insert(orm.audit_log).returning(orm.audit_log.c.id), AUDIT)).scalar()
        await s.commit()
    assert audit_id == 2
    async with core.db.sessions() as s:
        lines = _without_ids(await s.execute(select(journal_lines)))
        audits = _without_ids(await s.execute(select(orm.audit_log)))
    assert lines[0] == lines[1] and lines[0][4] == Decimal("12.34")
    assert audits[0] == audits[1] and audits[0][0] == AT


async def test_fixed_statement_raises_integrity_error(core: Core) -> None:
    stmt = insert(orm.api_tokens)
    token = {"name": "a", "token_hash": "h" * 64, "created_at": AT}
    async with core.db.sessions() as s:
        await core_exec.execute_fixed(s, stmt, token)
        with pytest.raises(IntegrityError) as caught:
            await core_exec.execute_fixed(s, stmt, token)
    if core.db.is_sqlite:
        assert isinstance(caught.value.orig, sqlite3.IntegrityError)
    else:  # asyncpg's own exception, with the SQLSTATE the unit of work reads
        assert getattr(caught.value.orig, "sqlstate", None) == "23505"


async def test_fixed_statement_is_in_the_sessions_transaction(core: Core) -> None:
    """First statement of a transaction, or after others: a rollback takes it back."""
    async with core.db.sessions() as s:
        await core_exec.execute_fixed(s, insert(orm.audit_log), AUDIT)  # the very first
        await s.execute(insert(orm.audit_log), AUDIT)
        await core_exec.execute_fixed(s, insert(orm.audit_log), AUDIT)
        await s.rollback()
    async with core.db.sessions() as s:
        assert (await s.execute(select(orm.audit_log))).first() is None
        await core_exec.execute_fixed(s, insert(orm.audit_log), AUDIT)
        await s.commit()
    async with core.db.sessions() as s:
        assert len((await s.execute(select(orm.audit_log))).all()) == 1


async def test_fixed_update_counts_the_rows_it_changed(core: Core) -> None:
    """A conditional UPDATE run as a fixed statement says how many rows it changed."""
    await small_shop(core.bus, stock=3)
    t = orm.stock_levels
    take = update(t).where(t.c.sku == bindparam("b_sku"),
                           t.c.on_hand - t.c.reserved >= bindparam("b_quantity")).values(
        reserved=t.c.reserved + bindparam("b_quantity"))
    async with core.db.sessions() as s:
        taken = [(await core_exec.execute_fixed(
            s, take, {"b_sku": "MUG-01", "b_quantity": 2})).rowcount for _ in range(2)]
        await s.commit()
        assert [(lv.on_hand, lv.reserved) for lv in await SqlStock(s).levels(["MUG-01"])
                if lv.warehouse == "MIL"] == [(3, 2)]
    assert taken == [1, 0]


async def test_fixed_rows_read_what_execute_reads(core: Core) -> None:
    """Rows of a fixed SELECT: the same values, through the same result processors (UTC
    datetimes, JSON), as SQLAlchemy's execute gives."""
    await small_shop(core.bus)
    await core.bus.handle(order_command("ROWS-1"))
    t = orm.stock_levels
    async with core.db.sessions() as s:
        await s.execute(update(t).where(t.c.sku == "MUG-01").values(low_since=AT))
        for statement, params in (
                (select(t).where(t.c.sku == bindparam("sku")), {"sku": "MUG-01"}),
                (select(orm.customers).where(orm.customers.c.email == bindparam("email")),
                 {"email": "ada@example.com"}),
                (select(orm.orders.c.shipping_address, orm.orders.c.placed_at).where(
                    orm.orders.c.external_id == bindparam("x")), {"x": "ROWS-1"})):
            expected = [r._asdict() for r in await s.execute(statement, params)]
            fixed = (await core_exec.execute_fixed(s, statement, params)).rows
            assert fixed == expected and expected
        assert fixed[0]["placed_at"].tzinfo is not None
