"""Stock reservations made by the commit (storage.reservations), on both databases: the
units are taken at COMMIT or the unit of work raises Retry; until then the transaction's
own reads count them; other stock writes make them first."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import update

from bot.bootstrap import Core
from domain.errors import InsufficientStock, Retry
from storage import orm, reservations
from storage.uow import SqlUnitOfWork
from tests.catalog import order_command, small_shop


async def _levels(core: Core) -> tuple[int, int]:
    levels = await core.views.inventory("MUG-01")
    assert levels is not None
    mil = next(lv for lv in levels if lv["warehouse"] == "MIL")
    return mil["on_hand"], mil["reserved"]


async def _hold_after_another_took(core: Core) -> None:
    async with SqlUnitOfWork(core.db) as uow:
        uow.stock.reserve_on_commit("MUG-01", "MIL", 4)
        # as if another order had taken 2 since the levels were read
        t = orm.stock_levels
        await uow.session.execute(update(t).where(t.c.sku == "MUG-01").values(reserved=2))
        await uow.commit()


async def _reserve_then_fail(core: Core) -> None:
    async with SqlUnitOfWork(core.db) as uow:
        uow.stock.reserve_on_commit("MUG-01", "MIL", 3)
        await reservations.make_pending(uow.session)
        raise RuntimeError("fails after writing")


async def test_held_units_are_reserved_by_the_commit_and_seen_before_it(core: Core) -> None:
    await small_shop(core.bus, stock=5)
    async with SqlUnitOfWork(core.db) as uow:
        uow.stock.reserve_on_commit("MUG-01", "MIL", 2)
        uow.stock.reserve_on_commit("MUG-01", "MIL", 1)
        level = await uow.stock.get("MUG-01", "MIL")
        assert level is not None and (level.on_hand, level.reserved) == (5, 3)
        assert [lv.reserved for lv in await uow.stock.levels(["MUG-01"])
                if lv.warehouse == "MIL"] == [3]
        assert await _levels(core) == (5, 0)  # nothing written yet
        await uow.commit()
    assert await _levels(core) == (5, 3)


async def test_a_reservation_that_no_longer_fits_makes_the_commit_retry(core: Core) -> None:
    await small_shop(core.bus, stock=5)
    with pytest.raises(Retry):
        await _hold_after_another_took(core)
    assert await _levels(core) == (5, 0)  # rolled back, the simulated taker's 2 with it


async def test_a_release_in_the_same_unit_of_work_comes_after_the_held_units(
        core: Core) -> None:
    await small_shop(core.bus, stock=5)
    async with SqlUnitOfWork(core.db) as uow:
        uow.stock.reserve_on_commit("MUG-01", "MIL", 3)
        await uow.stock.release("MUG-01", "MIL", 1)
        await uow.commit()
    assert await _levels(core) == (5, 2)


async def test_a_failed_unit_of_work_reserves_nothing(core: Core) -> None:
    await small_shop(core.bus, stock=5)
    with pytest.raises(RuntimeError):
        await _reserve_then_fail(core)
    assert await _levels(core) == (5, 0)


async def test_concurrent_orders_for_the_last_units_never_oversell(core: Core) -> None:
    """Twenty orders of 2 units each against 15 in stock, all at once: 7 take stock and
    the rest are refused (the mug allows no backorder)."""
    await small_shop(core.bus, stock=15)
    outcomes = await asyncio.gather(
        *(core.bus.handle(order_command(f"LAST-{i}")) for i in range(20)),
        return_exceptions=True)
    refused = [o for o in outcomes if isinstance(o, BaseException)]
    assert all(isinstance(o, InsufficientStock) for o in refused), refused
    assert (len(outcomes) - len(refused), await _levels(core)) == (7, (15, 14))
