"""500 concurrent orders for one SKU with 100 units, across two omsbot processes."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from bot.bootstrap import Core
from tests.catalog import order_json, small_shop
from tests.e2e.processes import omsbot_process
from tests.helpers import stock_state, table_counts

ORDERS = 500
UNITS = 100


@pytest.mark.timeout(900)  # two process start-ups on a loaded machine
async def test_no_oversell_across_two_processes(
    core: Core, database_url: str, tmp_path: Path
) -> None:
    await small_shop(core.bus, stock=UNITS)
    token = await core.tokens.create("load")
    headers = {"Authorization": f"Bearer {token}"}
    async with omsbot_process(database_url, tmp_path) as a, \
            omsbot_process(database_url, tmp_path) as b, \
            aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=0)) as http:

        async def place(i: int) -> int:
            body: dict[str, Any] = order_json(f"LOAD-{i}",
                                              lines=[{"sku": "MUG-01", "quantity": 1}])
            async with http.post(f"{(a, b)[i % 2]}/api/v1/orders", json=body,
                                 headers=headers) as resp:
                return resp.status

        statuses = await asyncio.gather(*(place(i) for i in range(ORDERS)))

        async def same_order(i: int) -> tuple[int, str]:
            async with http.post(f"{(a, b)[i % 2]}/api/v1/orders", json=order_json("TWICE"),
                                 headers=headers) as resp:
                return resp.status, (await resp.json()).get("number", "")

        await small_shop(core.bus, stock=10)  # more units so the duplicate test can place
        repeated = await asyncio.gather(*(same_order(i) for i in range(10)))

    assert statuses.count(201) == UNITS
    assert statuses.count(409) == ORDERS - UNITS
    assert sorted(s for s, _ in repeated) == [200] * 9 + [201]
    assert len({n for _, n in repeated}) == 1
    counts = await table_counts(core)
    assert counts["orders"] == UNITS + 1
    mug = [row for row in await stock_state(core) if row[:2] == ("MUG-01", "MIL")]
    # 100 from the load, 2 for the duplicate order; 110 received in all.
    assert mug == [("MUG-01", "MIL", UNITS + 10, UNITS + 2)]
