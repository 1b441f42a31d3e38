"""Two omsbot processes (two cores on one database) run the same job at once: one effect."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest

from bot.bootstrap import Core, build_core
from domain.clock import FixedClock
from storage.automation import SqlJobScans, SqlPurchaseOrderViews
from tests.catalog import order_command, small_shop
from tests.conftest import make_settings
from tests.jobs_support import outbox, run, stock


@pytest.fixture
async def other(database_url: str, clock: FixedClock) -> AsyncIterator[Core]:
    """A second process on the same database."""
    core = build_core(make_settings(database_url), clock=clock)
    try:
        yield core
    finally:
        await core.close()


async def both(core: Core, other: Core, job: str) -> int:
    outcomes = await asyncio.gather(run(core, job), run(other, job), run(core, job),
                                    run(other, job))
    return sum(len(o.lines) for o in outcomes)


async def test_low_stock_at_once_is_one_alert_and_one_draft(core: Core, other: Core) -> None:
    await small_shop(core.bus)
    await core.bus.handle(order_command("W-1", lines=(("MUG-01", 96),)))
    assert await both(core, other, "low-stock") == 1
    assert len(await outbox(core, "low_stock")) == 1
    assert len(await SqlPurchaseOrderViews(core.db).purchase_orders(status="all")) == 1


async def test_delays_at_once_are_one_apology_per_order(core: Core, other: Core,
                                                        clock: FixedClock) -> None:
    await small_shop(core.bus)
    for i in range(5):
        await core.bus.handle(order_command(f"L-{i}", lines=(("MUG-01", 1),)))
    clock.advance(hours=49)
    assert await both(core, other, "delays") == 5
    assert len(await outbox(core, "order_delayed")) == 10  # an e-mail and a staff alert each


async def test_expiry_at_once_releases_stock_once(core: Core, other: Core,
                                                 clock: FixedClock) -> None:
    await small_shop(core.bus)
    for i in range(3):
        await core.bus.handle(order_command(f"U-{i}", payment_status="pending"))
    clock.advance(hours=25)
    assert await both(core, other, "expire-unpaid") == 3
    assert (await stock(core, "MUG-01", "MIL"))["reserved"] == 0
    assert len(await outbox(core, "order_cancelled")) == 3


async def test_daily_report_at_once_is_sent_once(core: Core, other: Core,
                                                 clock: FixedClock) -> None:
    await small_shop(core.bus)
    clock.advance(days=1)
    assert await both(core, other, "daily-report") == 1
    assert len(await outbox(core, "daily_report")) == 1


async def test_a_job_held_by_another_process_is_skipped_on_postgres(
    core: Core, other: Core, clock: FixedClock
) -> None:
    if core.db.is_sqlite:
        pytest.skip("SQLite writers take turns (BEGIN IMMEDIATE): there is nothing to skip")
    await small_shop(core.bus)
    await core.bus.handle(order_command())
    clock.advance(hours=49)
    async with core.db.write_session() as session:
        assert await SqlJobScans(session).try_lock("delays")
        held = await run(other, "delays")
    assert held.skipped == "another omsbot process is running this job right now"
    assert held.lines == ()
    assert len((await run(other, "delays")).lines) == 1
