"""delays: each stage once per order, an apology with a new estimate (SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import insert

from bot.bootstrap import Core
from domain.automation.commands import CheckDelays
from domain.clock import FixedClock
from domain.orders import commands as oc
from storage import orm
from tests.catalog import order_command, small_shop
from tests.conftest import NOW
from tests.jobs_support import outbox, run


async def test_ship_stage_then_delivery_stage_once_each(core: Core, clock: FixedClock) -> None:
    await small_shop(core.bus)
    placed = await core.bus.handle(order_command())  # ship by NOW + 48 h, standard method
    clock.advance(hours=47)
    assert (await run(core, "delays")).lines == ()

    clock.advance(hours=2)  # 2026-11-26 11:00: the ship-by time has passed
    [line] = (await run(core, "delays")).lines
    assert line.startswith("ORD-000001: not shipped by its ship-by time (2026-11-26T10:00:00Z)")
    assert "new estimate 2026-12-02" in line  # ship tomorrow, then 5 days of transit
    notes = await outbox(core, "order_delayed")
    assert [(n["channel"], n["recipient"]) for n in notes] == [
        ("email", "ada@example.com"), ("slack", "staff")]
    assert notes[0]["payload"] == {"order_id": 1, "stage": "ship",
                                   "new_estimate": "2026-12-02"}
    assert "ORD-000001 was not shipped by its promised ship-by time" in notes[1]["payload"][
        "text"]
    assert (await run(core, "delays")).lines == ()
    assert len(await outbox(core, "order_delayed")) == 2

    await core.bus.handle(oc.ShipOrder(placed.order_id, "BRT", "TRK1"))  # ETA 2026-12-01
    clock.set(NOW.replace(day=1, month=12, hour=23))
    assert (await run(core, "delays")).lines == ()  # still the ETA day
    clock.advance(hours=2)  # 2026-12-02 01:00
    [line] = (await run(core, "delays")).lines
    assert "past its delivery ETA and not delivered (2026-12-01)" in line
    assert "new estimate 2026-12-04" in line
    stages = [n["payload"]["stage"] for n in await outbox(core, "order_delayed")]
    assert stages == ["ship", "ship", "delivery", "delivery"]
    assert (await run(core, "delays")).lines == ()

    await core.bus.handle(oc.DeliverOrder(placed.order_id))
    clock.advance(days=3)
    assert (await run(core, "delays")).lines == ()
    assert len(await outbox(core, "order_delayed")) == 4


async def test_a_linked_customer_hears_on_telegram_instead(core: Core, clock: FixedClock
                                                           ) -> None:
    await small_shop(core.bus)
    await core.bus.handle(order_command())
    async with core.db.write_session() as session:
        await session.execute(insert(orm.telegram_links).values(
            chat_id=555, customer_id=1, linked_at=NOW, locale="it"))
    clock.advance(hours=49)
    await run(core, "delays")
    assert [(n["channel"], n["recipient"]) for n in await outbox(core, "order_delayed")] == [
        ("telegram", "555"), ("slack", "staff")]


async def test_shipped_cancelled_and_long_past_orders_are_left_alone(
    core: Core, clock: FixedClock
) -> None:
    await small_shop(core.bus)
    shipped = await core.bus.handle(order_command("S-1"))
    await core.bus.handle(oc.ShipOrder(shipped.order_id, "BRT", "TRK1", eta=None))
    cancelled = await core.bus.handle(order_command("C-1"))
    await core.bus.handle(oc.CancelOrder(cancelled.order_id, "customer asked"))
    await core.bus.handle(order_command("OLD-1", placed_at=NOW - timedelta(days=40)))
    clock.advance(hours=49)
    assert (await run(core, "delays")).lines == ()
    assert await outbox(core, "order_delayed") == []


async def test_many_late_orders_go_in_batches(core: Core, clock: FixedClock) -> None:
    await small_shop(core.bus, stock=100)
    for i in range(7):
        await core.bus.handle(order_command(f"B-{i}", lines=(("MUG-01", 1),)))
    clock.advance(hours=49)
    first = await core.bus.handle(CheckDelays(limit=3))
    assert len(first.lines) == 3 and first.more
    assert len((await run(core, "delays")).lines) == 4  # the runner loops until done
    assert len(await outbox(core, "order_delayed")) == 14
