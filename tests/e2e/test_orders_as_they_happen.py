"""What a shop hit (issue 10), end to end over HTTP on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest
from aiohttp.test_utils import TestClient, TestServer

from bot.bootstrap import Core
from bot.web import build_web_app
from tests.catalog import order_json
from tests.e2e.test_api import Api, catalogue
from tests.helpers import stock_state, table_counts


@pytest.fixture
async def shop(core: Core) -> AsyncIterator[tuple[Api, Api]]:
    """Two API clients with different tokens on one shop."""
    client = TestClient(TestServer(build_web_app(core)))
    await client.start_server()
    try:
        yield (Api(client, await core.tokens.create("web shop")),
               Api(client, await core.tokens.create("marketplace")))
    finally:
        await client.close()


async def split_order(api: Api) -> str:
    """One MUG-01 in MIL, one in ROM: a 2-unit order ships in two parcels."""
    await catalogue(api, stock=1)
    assert (await api.call("POST", "/inventory/MUG-01/receive",
                           {"warehouse": "ROM", "quantity": 1}))[0] == 200
    status, order = await api.call("POST", "/orders", order_json(
        lines=[{"sku": "MUG-01", "quantity": 2}]))
    assert status == 201, order
    assert sorted(s["warehouse"] for s in order["shipments"]) == ["MIL", "ROM"]
    return str(order["number"])


async def act(api: Api, number: str, action: str, body: Any = None) -> dict[str, Any]:
    status, view = await api.call("POST", f"/orders/{number}/{action}", body)
    assert status == 200, view
    return dict(view)


async def test_cancel_after_one_parcel_shipped_releases_the_other_and_it_can_be_returned(
        shop: tuple[Api, Api], core: Core) -> None:
    api = shop[0]
    number = await split_order(api)
    await act(api, number, "ship", {"carrier": "BRT", "tracking_number": "T-MIL",
                                    "warehouse": "MIL"})
    order = await act(api, number, "cancel", {"reason": "the ROM unit was damaged"})
    assert order["status"] == "shipped"
    assert order["lines"][0]["cancelled"] == 1
    assert ("MUG-01", "ROM", 1, 0) in await stock_state(core)
    order = await act(api, number, "deliver")
    assert order["status"] == "delivered"
    status, ret = await api.call("POST", "/returns", {"order": number, "reason": "too big"})
    assert status == 201, ret
    assert [(ln["sku"], ln["quantity"]) for ln in ret["lines"]] == [("MUG-01", 1)]


async def test_line_cancellation_takes_off_unshipped_units_only(shop: tuple[Api, Api]) -> None:
    api = shop[0]
    number = await split_order(api)
    order = await act(api, number, "cancel", {"reason": "wanted one",
                                              "lines": [{"sku": "mug-01", "quantity": 1}]})
    assert order["status"] == "confirmed"
    assert order["lines"][0]["cancelled"] == 1
    status, body = await api.call("POST", f"/orders/{number}/cancel",
                                  {"lines": [{"sku": "MUG-01", "quantity": 2}]})
    assert status == 422 and body["fields"][0]["path"] == "lines.MUG-01", body


async def test_freed_unit_goes_to_the_waiting_backorder_not_a_new_order(
        shop: tuple[Api, Api]) -> None:
    api = shop[0]
    await catalogue(api, stock=1)
    status, _ = await api.call("PUT", "/products/MUG-01", {
        "name": "Mug", "price": "12.50", "currency": "EUR", "allow_backorder": True})
    assert status == 200
    one = [{"sku": "MUG-01", "quantity": 1}]
    a = (await api.call("POST", "/orders", order_json("A", lines=one)))[1]
    b = (await api.call("POST", "/orders", order_json("B", lines=one)))[1]
    assert (a["status"], b["status"]) == ("confirmed", "backordered")
    await act(api, a["number"], "cancel", {"reason": "changed mind"})
    c = (await api.call("POST", "/orders", order_json("C", lines=one)))[1]
    assert c["status"] == "backordered"
    status, b = await api.call("GET", f"/orders/{b['number']}")
    assert b["status"] == "confirmed"


async def test_split_order_returned_goes_back_one_unit_to_each_warehouse(
        shop: tuple[Api, Api], core: Core) -> None:
    api = shop[0]
    number = await split_order(api)
    for warehouse in ("MIL", "ROM"):
        await act(api, number, "ship", {"carrier": "BRT", "tracking_number": f"T-{warehouse}",
                                        "warehouse": warehouse})
    await act(api, number, "deliver")
    status, ret = await api.call("POST", "/returns", {"order": number, "reason": "broken"})
    assert status == 201, ret
    for action in ("approve", "receive"):
        status, ret = await api.call("POST", f"/returns/{ret['rma']}/{action}")
        assert status == 200, ret
    mugs = [row for row in await stock_state(core) if row[0] == "MUG-01"]
    assert mugs == [("MUG-01", "MIL", 1, 0), ("MUG-01", "ROM", 1, 0)]


async def test_idempotency_key_never_swaps_orders(shop: tuple[Api, Api], core: Core) -> None:
    web, marketplace = shop
    await catalogue(web)
    key = {"Idempotency-Key": "order-1"}
    first = await web.call("POST", "/orders", order_json("W-1"), headers=key)
    assert first[0] == 201
    again = await web.call("POST", "/orders", order_json("W-1"), headers=key)
    assert again[0] == 200 and again[1]["number"] == first[1]["number"]
    before = await table_counts(core)
    other = order_json("W-2", customer={"email": "bob@example.com", "name": "Bob"})
    status, body = await web.call("POST", "/orders", other, headers=key)
    assert (status, body["error"], body["order"]) == (422, "idempotency_mismatch",
                                                      first[1]["number"])
    assert "Ada" not in str(body)  # never the first customer's details
    assert await table_counts(core) == before
    status, body = await marketplace.call("POST", "/orders", other, headers=key)
    assert status == 201 and body["number"] != first[1]["number"]  # keys are per token
    changed = order_json("W-1", lines=[{"sku": "MUG-01", "quantity": 1}])
    status, body = await web.call("POST", "/orders", changed)
    assert (status, body["error"], body["order"]) == (409, "duplicate_external_id",
                                                      first[1]["number"])
