"""The backorder queue under concurrency: cancellations (whole, or of some units) and new
orders through two processes."""

from __future__ import annotations

import asyncio
from decimal import Decimal
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from bot.bootstrap import Core
from domain.inventory import commands as ic
from tests.catalog import order_json, small_shop
from tests.e2e.processes import omsbot_process
from tests.helpers import stock_state

UNITS = 12
ONE = [{"sku": "MUG-01", "quantity": 1}]
TWO = [{"sku": "MUG-01", "quantity": 2}]


@pytest.mark.timeout(900)  # two process start-ups on a loaded machine
@pytest.mark.parametrize("partial", [False, True], ids=["whole", "partial"])
async def test_freed_units_go_to_older_backorders_while_new_orders_arrive(
    core: Core, database_url: str, tmp_path: Path, partial: bool
) -> None:
    """Each holder frees one unit (a whole 1-unit order cancelled, or one unit of a 2-unit
    order) while as many new orders arrive: the freed units serve the older backorders."""
    held = TWO if partial else ONE
    await small_shop(core.bus, stock=UNITS * (2 if partial else 1))
    await core.bus.handle(ic.UpsertProduct("MUG-01", "Mug", Decimal("12.50"), "EUR",
                                           allow_backorder=True))
    token = await core.tokens.create("load")
    headers = {"Authorization": f"Bearer {token}"}
    async with omsbot_process(database_url, tmp_path) as a, \
            omsbot_process(database_url, tmp_path) as b, \
            aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=0)) as http:

        async def post(i: int, path: str, body: dict[str, Any]) -> dict[str, Any]:
            async with http.post(f"{(a, b)[i % 2]}/api/v1{path}", json=body,
                                 headers=headers) as resp:
                answer: dict[str, Any] = await resp.json()
                assert resp.status in (200, 201), answer
                return answer

        holders = [await post(i, "/orders", order_json(f"HOLD-{i}", lines=held))
                   for i in range(UNITS)]
        waiting = [await post(i, "/orders", order_json(f"WAIT-{i}", lines=ONE))
                   for i in range(UNITS)]
        assert {o["status"] for o in holders} == {"confirmed"}
        assert {o["status"] for o in waiting} == {"backordered"}
        cancel = {"reason": "load", **({"lines": ONE} if partial else {})}
        cancels = [post(i, f"/orders/{o['number']}/cancel", cancel)
                   for i, o in enumerate(holders)]
        newcomers = [post(i + 1, "/orders", order_json(f"NEW-{i}", lines=ONE))
                     for i in range(UNITS)]
        results = await asyncio.gather(*(x for pair in zip(cancels, newcomers, strict=True)
                                         for x in pair))
        numbers = [o["number"] for o in waiting]
        newcomer_numbers = [o["number"] for o in results[1::2]]
        async with http.get(f"{a}/api/v1/orders?limit=200", headers=headers) as resp:
            listed = {o["number"]: o["status"] for o in (await resp.json())["orders"]}

    assert {listed[n] for n in numbers} == {"confirmed"}  # every older backorder served
    assert {listed[n] for n in newcomer_numbers} == {"backordered"}  # none jumped the queue
    assert {listed[o["number"]] for o in holders} == ({"confirmed"} if partial
                                                       else {"cancelled"})
    on_hand = UNITS * (2 if partial else 1)
    assert [r for r in await stock_state(core) if r[0] == "MUG-01"] == [
        ("MUG-01", "MIL", on_hand, on_hand)]
