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


CONTROL = "Mario\u0000Rossi"
BAD_INPUT = [
    ("NUL in a name", {"customer": {"email": "m@example.com", "name": CONTROL}},
     "customer.name"),
    ("C0 in an address", {"shipping_address": {
        "name": "Mario", "line1": "Via\u0007Roma 1", "city": "Milano", "postal_code": "20121",
        "country": "IT"}}, "shipping_address.line1"),
    ("fractional quantity", {"lines": [{"sku": "MUG-01", "quantity": 1.9}]},
     "lines.0.quantity"),
    ("boolean quantity", {"lines": [{"sku": "MUG-01", "quantity": True}]}, "lines.0.quantity"),
    ("quantity as text", {"lines": [{"sku": "MUG-01", "quantity": "2"}]}, "lines.0.quantity"),
    ("too many units", {"lines": [{"sku": "MUG-01", "quantity": 1_000_001}]},
     "lines.0.quantity"),
    ("huge price", {"lines": [{"sku": "MUG-01", "quantity": 1,
                               "unit_price": "99999999999999999999"}]}, "lines.0.unit_price"),
]


@pytest.mark.parametrize(("case", "change", "path"), BAD_INPUT, ids=[c[0] for c in BAD_INPUT])
async def test_bad_input_is_422_naming_the_field_and_writes_nothing(
        shop: tuple[Api, Api], core: Core, case: str, change: dict[str, Any], path: str) -> None:
    api = shop[0]
    await catalogue(api)
    before = await table_counts(core)
    status, answer = await api.call("POST", "/orders", order_json(**change))
    assert status == 422, answer
    assert path in [f["path"] for f in answer["fields"]], answer
    assert await table_counts(core) == before


async def test_other_fields_follow_the_same_policy(shop: tuple[Api, Api], core: Core) -> None:
    api = shop[0]
    await catalogue(api)
    status, answer = await api.call("PUT", "/products/MUG-01", {
        "name": "Mug", "price": "99999999999999999999", "currency": "EUR"})
    assert status == 422 and answer["fields"][0]["path"] == "price", answer
    status, answer = await api.call("PUT", "/products/MUG-02", {
        "name": "Mug\u0000", "price": "1.00", "currency": "EUR"})
    assert status == 422 and answer["fields"][0]["path"] == "name", answer
    number = (await api.call("POST", "/orders", order_json()))[1]["number"]
    status, answer = await api.call("POST", f"/orders/{number}/ship", {
        "carrier": "BRT", "tracking_number": "T1", "eta": "2020-01-01"})
    assert status == 422 and answer["fields"][0]["path"] == "eta", answer
    await act(api, number, "ship", {"carrier": "BRT", "tracking_number": "T1"})
    await act(api, number, "deliver")
    status, answer = await api.call("POST", "/returns", {
        "order": number, "reason": "x", "lines": [{"sku": "MUG-01", "quantity": 1.9}]})
    assert status == 422 and answer["fields"][0]["path"] == "lines.0.quantity", answer


async def test_sku_keeps_its_case_and_matches_without_it(shop: tuple[Api, Api]) -> None:
    api = shop[0]
    await catalogue(api, stock=1)
    status, product = await api.call("PUT", "/products/tshirt-red-m", {
        "name": "T-shirt", "price": "15.00", "currency": "EUR"})
    assert (status, product["sku"]) == (201, "tshirt-red-m")
    status, again = await api.call("PUT", "/products/TSHIRT-RED-M", {
        "name": "T-shirt red M", "price": "15.00", "currency": "EUR"})
    assert (status, again["sku"]) == (200, "tshirt-red-m")  # the same product, its own case
    status, received = await api.call("POST", "/inventory/TShirt-Red-M/receive",
                                      {"warehouse": "MIL", "quantity": 3})
    assert (status, received["sku"], received["on_hand"]) == (200, "tshirt-red-m", 3)
    status, order = await api.call("POST", "/orders", order_json(
        channel="amazon-it", lines=[{"sku": "TSHIRT-RED-M", "quantity": 1}]))
    assert status == 201, order
    assert (order["channel"], order["lines"][0]["sku"]) == ("amazon-it", "tshirt-red-m")
    status, inventory = await api.call("GET", "/inventory/TSHIRT-red-m")
    assert (status, inventory["sku"]) == (200, "tshirt-red-m")  # as created, not as typed
    assert inventory["warehouses"][0]["reserved"] == 1
    for expected in (201, 200):
        status, bin_ = await api.call("PUT", "/inventory/TSHIRT-RED-M/bins",
                                      {"warehouse": "MIL", "bin": "a-03-2"})
        assert (status, bin_["sku"], bin_["bin"]) == (expected, "tshirt-red-m", "A-03-2")


async def test_a_put_answers_201_with_location_when_it_creates_and_200_when_it_replaces(
        shop: tuple[Api, Api]) -> None:
    api = shop[0]
    bodies = {
        "/warehouses/NAP": {"name": "Napoli", "country": "IT", "postal_code": "80100"},
        "/products/MUG-09": {"name": "Mug", "price": "9.50", "currency": "EUR"},
        "/shipping-methods/pickup": {"name": "Pickup", "ship_within_hours": 4,
                                     "transit_days": 0, "price": "0.00", "currency": "EUR"},
        "/fx-rates/USD": {"rate": "0.92"},
        "/carriers/GLS": {"name": "GLS", "services": [{
            "code": "std", "name": "Standard", "transit_days": 2, "zones": [{
                "countries": ["IT"], "rates": [{"max_weight_g": 5000, "price": "5.00",
                                                "currency": "EUR"}]}]}]},
        "/warehouses/NAP/boxes/S": {"length_mm": 200, "width_mm": 150, "height_mm": 100,
                                    "max_weight_g": 5000, "tare_g": 100},
    }
    client = api.client
    for path, body in bodies.items():
        first = await client.put("/api/v1" + path, json=body, headers=api.headers)
        assert (first.status, first.headers.get("Location")) == (201, "/api/v1" + path), path
        again = await client.put("/api/v1" + path, json=body, headers=api.headers)
        assert (again.status, again.headers.get("Location")) == (200, None), path
    document = await (await client.get("/api/v1/openapi.json")).json()
    put = document["paths"]["/api/v1/products/{sku}"]["put"]["responses"]
    assert {"200", "201"} <= put.keys() and "Location" in put["201"]["headers"]


async def test_the_same_instant_in_any_offset_gets_the_same_promise(
        shop: tuple[Api, Api]) -> None:
    api = shop[0]
    await catalogue(api)
    _, east = await api.call("POST", "/orders", order_json(
        "TZ-1", placed_at="2026-11-23T22:30:00-05:00"))  # (not in the future: the policy)
    _, utc = await api.call("POST", "/orders", order_json(
        "TZ-2", placed_at="2026-11-24T03:30:00Z"))
    assert east["promised_delivery"] == utc["promised_delivery"]
    assert east["placed_at"] == utc["placed_at"] == "2026-11-24T03:30:00Z"
