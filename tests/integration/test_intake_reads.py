"""Order placement's three reads in one statement (storage.intake_reads): the answers are
those of the three separate reads, each is taken once and only in its own transaction,
and placing a one-SKU order sends the one statement instead of the three."""

from __future__ import annotations

from typing import Any

import pytest

from bot.bootstrap import Core
from domain.inventory import commands as ic
from storage import core_exec, intake_reads, repositories
from storage.uow import SqlUnitOfWork
from tests.catalog import order_command, small_shop


async def _answers(core: Core, channel: str, external_id: str, email: str, sku: str,
                   *, ahead: bool) -> tuple[Any, Any, Any]:
    async with SqlUnitOfWork(core.db) as uow:
        if ahead:
            await uow.orders.read_ahead(channel, external_id, email, sku)
        order = await uow.orders.by_external_id(channel, external_id)
        customer = await uow.customers.by_email(email)
        levels = await uow.stock.levels([sku])
        return (order and order.id,
                customer and (customer.id, customer.email, customer.name, customer.locale),
                sorted((lv.sku, lv.warehouse, lv.on_hand, lv.reserved) for lv in levels))


async def test_the_answers_are_those_of_the_three_reads(core: Core) -> None:
    await small_shop(core.bus)
    await core.bus.handle(ic.ReceiveStock("MUG-01", "ROM", 7))  # two warehouses hold it
    await core.bus.handle(order_command("AHEAD-1"))
    cases = [("web", "AHEAD-1", "ada@example.com", "MUG-01"),  # all found
             ("web", "AHEAD-2", "bob@example.com", "TEA-01"),  # order, customer unknown
             ("pos", "AHEAD-1", "ada@example.com", "NOPE-9")]  # other channel, no stock
    for case in cases:
        assert await _answers(core, *case, ahead=True) == await _answers(
            core, *case, ahead=False), case
    found = await _answers(core, *cases[0], ahead=True)
    assert found[0] is not None and found[1] is not None and len(found[2]) == 2


async def test_an_answer_is_taken_once_and_only_in_its_transaction(core: Core) -> None:
    await small_shop(core.bus)
    async with SqlUnitOfWork(core.db) as uow:
        session = uow.session
        await intake_reads.read_ahead(session, "web", "X-1", "ada@example.com", "MUG-01")
        assert intake_reads.take(session, "order", "web", "X-2") is intake_reads.MISSING
        assert intake_reads.take(session, "order", "web", "X-1") is None
        assert intake_reads.take(session, "order", "web", "X-1") is intake_reads.MISSING
        assert intake_reads.take(session, "customer", "ada@example.com") == []
        assert intake_reads.take(session, "levels", "MUG-01")
        await intake_reads.read_ahead(session, "web", "X-1", None, None)
        assert intake_reads.take(session, "customer", "ada@example.com") is \
            intake_reads.MISSING  # not asked
        await uow.commit()
    async with SqlUnitOfWork(core.db) as uow:
        await intake_reads.read_ahead(uow.session, "web", "X-1", None, "MUG-01")
        await uow.session.rollback()  # a new transaction begins with the next statement
        await uow.session.connection()
        assert intake_reads.take(uow.session, "levels", "MUG-01") is intake_reads.MISSING


async def test_placing_an_order_sends_one_read_instead_of_three(
        core: Core, monkeypatch: pytest.MonkeyPatch) -> None:
    await small_shop(core.bus)
    await core.bus.handle(order_command("SEED"))  # the customer exists
    sent: list[object] = []
    real = core_exec.execute_fixed

    async def spy(session: Any, statement: Any, parameters: Any) -> Any:
        sent.append(statement)
        return await real(session, statement, parameters)

    monkeypatch.setattr(core_exec, "execute_fixed", spy)
    placed = await core.bus.handle(order_command("ONE-READ"))
    assert placed.created
    assert intake_reads._READ_AHEAD in sent
    for separate in (repositories._ORDER_BY_EXTERNAL_ID, repositories._CUSTOMER_BY_EMAIL,
                     repositories._LEVELS_OF_ONE):
        assert separate not in sent
    retried = await core.bus.handle(order_command("ONE-READ"))  # the retry finds it
    assert (retried.order_id, retried.created) == (placed.order_id, False)
