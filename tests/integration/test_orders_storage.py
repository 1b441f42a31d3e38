"""Placing and moving orders through the real bus and database (SQLite and PostgreSQL)."""

from __future__ import annotations

import asyncio

import pytest

from bot.bootstrap import Core
from domain.errors import InsufficientStock, InvalidTransition
from domain.orders import commands as oc
from tests.catalog import order_command, small_shop


async def test_place_ship_deliver(core: Core) -> None:
    await small_shop(core.bus)
    result = await core.bus.handle(order_command())
    assert result.created and result.number == "ORD-000001"
    view = await core.views.order(result.order_id)
    assert view is not None
    assert view["status"] == "confirmed"
    assert view["total"] == "25.00"
    assert view["shipments"][0]["warehouse"] == "MIL"
    assert await core.views.inventory("MUG-01") == [
        {"warehouse": "MIL", "on_hand": 100, "reserved": 2, "available": 98}]
    await core.bus.handle(oc.ShipOrder(result.order_id, "BRT", "TRK1"))
    await core.bus.handle(oc.DeliverOrder(result.order_id))
    view = await core.views.order(result.order_id)
    assert view is not None and view["status"] == "delivered"
    assert await core.views.inventory("MUG-01") == [
        {"warehouse": "MIL", "on_hand": 98, "reserved": 0, "available": 98}]


async def test_invalid_transition_names_status_and_allowed(core: Core) -> None:
    await small_shop(core.bus)
    result = await core.bus.handle(order_command())
    with pytest.raises(InvalidTransition) as caught:
        await core.bus.handle(oc.DeliverOrder(result.order_id))
    assert caught.value.status == "confirmed"
    assert "ship" in caught.value.allowed


async def test_concurrent_orders_never_oversell(core: Core) -> None:
    await small_shop(core.bus, stock=10)

    async def one(i: int) -> bool:
        try:
            await core.bus.handle(order_command(f"C-{i}", lines=(("MUG-01", 1),)))
        except InsufficientStock:
            return False
        return True

    results = await asyncio.gather(*(one(i) for i in range(30)))
    assert sum(results) == 10
    assert await core.views.inventory("MUG-01") == [
        {"warehouse": "MIL", "on_hand": 10, "reserved": 10, "available": 0}]


async def test_same_order_ten_times_at_once_is_one_order(core: Core) -> None:
    await small_shop(core.bus)
    results = await asyncio.gather(*(core.bus.handle(order_command("SAME")) for _ in range(10)))
    assert {r.order_id for r in results} == {1}
    assert sum(r.created for r in results) == 1
    levels = await core.views.inventory("MUG-01")
    assert levels is not None and levels[0]["reserved"] == 2


async def test_same_sku_on_two_lines_counts_the_sum(core: Core) -> None:
    await small_shop(core.bus, stock=3)
    with pytest.raises(InsufficientStock) as caught:
        await core.bus.handle(order_command(lines=(("MUG-01", 2), ("MUG-01", 2))))
    assert caught.value.shortages[0].requested == 4
    assert caught.value.shortages[0].available == 3
