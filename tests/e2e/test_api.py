"""The HTTP API of CONTRACT §4 through the real aiohttp app, on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import pytest
from aiohttp.test_utils import TestClient, TestServer

from bot.bootstrap import Core
from bot.web import build_web_app
from tests.catalog import order_json
from tests.helpers import stock_state, table_counts


class Api:
    def __init__(self, client: TestClient[Any, Any], token: str) -> None:
        self.client = client
        self.headers = {"Authorization": f"Bearer {token}"}

    async def call(self, method: str, path: str, body: Any = None, *, raw: bytes | None = None,
                   headers: dict[str, str] | None = None) -> tuple[int, Any]:
        kwargs: dict[str, Any] = {"headers": {**self.headers, **(headers or {})}}
        if raw is not None:
            kwargs["data"] = raw
        elif body is not None:
            kwargs["json"] = body
        resp = await self.client.request(method, "/api/v1" + path, **kwargs)
        return resp.status, await resp.json()


@pytest.fixture
async def api(core: Core) -> AsyncIterator[Api]:
    client = TestClient(TestServer(build_web_app(core)))
    await client.start_server()
    token = await core.tokens.create("test shop")
    try:
        yield Api(client, token)
    finally:
        await client.close()


async def catalogue(api: Api, stock: int = 100) -> None:
    for code, body in {
        "MIL": {"name": "Milano", "country": "IT", "postal_code": "20100", "lat": 45.46,
                "lon": 9.19, "priority": 1},
        "ROM": {"name": "Roma", "country": "IT", "postal_code": "00100", "lat": 41.9,
                "lon": 12.5, "priority": 2},
    }.items():
        assert (await api.call("PUT", f"/warehouses/{code}", body))[0] in (200, 201)
    status, _ = await api.call("PUT", "/products/MUG-01", {
        "name": "Mug", "price": "12.50", "currency": "EUR", "cost": "4.10",
        "reorder_point": 5, "reorder_quantity": 50})
    assert status in (200, 201)
    status, _ = await api.call("PUT", "/shipping-methods/express", {
        "name": "Express", "ship_within_hours": 24, "transit_days": 1, "price": "9.90",
        "currency": "EUR"})
    assert status in (200, 201)
    status, body = await api.call("POST", "/inventory/MUG-01/receive",
                                  {"warehouse": "MIL", "quantity": stock})
    assert status == 200, body


async def test_order_lifecycle(api: Api) -> None:
    await catalogue(api)
    status, order = await api.call("POST", "/orders", order_json(shipping_method="express"))
    assert status == 201, order
    assert order["number"] == "ORD-000001"
    assert order["total"] == "34.90"  # 2 x 12.50 + 9.90 express
    assert order["promised_ship_by"] == "2026-11-25T10:00:00Z"
    assert order["promised_delivery"] == "2026-11-26"
    assert order["customer"] == {"email": "ada@example.com", "name": "Ada Lovelace",
                                 "locale": "it"}
    status, inv = await api.call("GET", "/inventory/MUG-01")
    assert inv["warehouses"][0] == {"warehouse": "MIL", "on_hand": 100, "reserved": 2,
                                    "available": 98}
    for action, body in (("pick", None), ("pack", None),
                         ("ship", {"carrier": "BRT", "tracking_number": "BRT1",
                                   "eta": "2026-11-27"})):
        status, order = await api.call("POST", f"/orders/ORD-000001/{action}", body)
        assert status == 200, order
    assert order["status"] == "shipped"
    assert order["shipments"][0]["tracking_number"] == "BRT1"
    status, tracked = await api.call("POST", "/tracking", {"tracking_number": "BRT1",
                                                           "status": "delivered"})
    assert (status, tracked["status"]) == (200, "delivered")
    status, customer = await api.call("GET", "/customers/ada@example.com")
    assert customer["orders"] == 1 and customer["lifetime_value"] == "34.90"
    status, listed = await api.call("GET", "/orders?status=delivered&limit=10")
    assert [o["number"] for o in listed["orders"]] == ["ORD-000001"]


async def test_same_order_again_answers_200_with_the_first(api: Api) -> None:
    await catalogue(api)
    first = await api.call("POST", "/orders", order_json())
    again = await api.call("POST", "/orders", order_json())
    assert (first[0], again[0]) == (201, 200)
    assert again[1]["number"] == first[1]["number"]
    keyed = await api.call("POST", "/orders", order_json("OTHER"),
                           headers={"Idempotency-Key": "k-1"})
    keyed_again = await api.call("POST", "/orders", order_json("OTHER"),
                                 headers={"Idempotency-Key": "k-1"})
    assert (keyed[0], keyed_again[0]) == (201, 200)
    assert keyed_again[1]["number"] == keyed[1]["number"] == "ORD-000002"


async def test_ten_identical_orders_at_once_make_one(api: Api, core: Core) -> None:
    await catalogue(api)
    answers = await asyncio.gather(*(api.call("POST", "/orders", order_json("DUP"))
                                     for _ in range(10)))
    assert sorted(s for s, _ in answers) == [200] * 9 + [201]
    assert (await table_counts(core))["orders"] == 1


async def test_insufficient_stock_is_409_and_writes_nothing(api: Api, core: Core) -> None:
    await catalogue(api, stock=3)
    before = await table_counts(core)
    body = order_json(lines=[{"sku": "MUG-01", "quantity": 2}, {"sku": "MUG-01", "quantity": 2}])
    status, answer = await api.call("POST", "/orders", body)
    assert status == 409
    assert answer["error"] == "insufficient_stock"
    assert answer["lines"] == [{"sku": "MUG-01", "requested": 4, "available": 3}]
    assert await table_counts(core) == before


BAD_BODIES = [
    ("unknown sku", {"lines": [{"sku": "NOPE-1", "quantity": 1}]}, "lines.0.sku"),
    ("zero quantity", {"lines": [{"sku": "MUG-01", "quantity": 0}]}, "lines.0.quantity"),
    ("negative quantity", {"lines": [{"sku": "MUG-01", "quantity": -2}]}, "lines.0.quantity"),
    ("unknown currency", {"currency": "XYZ"}, "currency"),
    ("bad email", {"customer": {"email": "not-an-email"}}, "customer.email"),
    ("no lines", {"lines": []}, "lines"),
    ("channel not a name", {"channel": "amazon it!"}, "channel"),
    ("channel too long", {"channel": "c" * 41}, "channel"),
    ("naive time", {"placed_at": "2026-11-24T10:00:00"}, "placed_at"),
    ("too many decimals", {"lines": [{"sku": "MUG-01", "quantity": 1, "unit_price": "1.999"}]},
     "lines.0.unit_price"),
    ("unknown method", {"shipping_method": "teleport"}, "shipping_method"),
]


@pytest.mark.parametrize(("case", "change", "path"), BAD_BODIES, ids=[c[0] for c in BAD_BODIES])
async def test_bad_order_is_422_naming_the_field(
    api: Api, core: Core, case: str, change: dict[str, Any], path: str
) -> None:
    await catalogue(api)
    before = await table_counts(core)
    status, answer = await api.call("POST", "/orders", order_json(**change))
    assert status == 422, answer
    assert answer["error"] == "validation_error"
    assert path in [f["path"] for f in answer["fields"]]
    assert await table_counts(core) == before


async def test_malformed_json_and_tokens(api: Api, core: Core) -> None:
    await catalogue(api)
    before = await table_counts(core)
    status, answer = await api.call("POST", "/orders", raw=b'{"external_id": ')
    assert (status, answer["error"]) == (400, "malformed_json")
    for path in ("/orders", "/inventory/MUG-01/receive", "/fx-rates/USD"):  # no body at all
        method = "PUT" if path.startswith("/fx") else "POST"
        status, answer = await api.call(method, path)
        assert (status, answer["error"]) == (400, "malformed_json"), (path, answer)
    for headers in ({"Authorization": ""}, {"Authorization": "Bearer wrong"},
                    {"Authorization": "Basic abc"}):
        resp = await api.client.post("/api/v1/orders", json=order_json(), headers=headers)
        assert resp.status == 401
        assert (await resp.json())["error"] == "unauthorized"
    assert await table_counts(core) == before


async def test_forbidden_transition_is_409_with_allowed(api: Api, core: Core) -> None:
    await catalogue(api)
    await api.call("POST", "/orders", order_json())
    before = await stock_state(core)
    status, answer = await api.call("POST", "/orders/1/deliver")
    assert status == 409
    assert answer["error"] == "invalid_transition"
    assert answer["status"] == "confirmed"
    assert "ship" in answer["allowed"] and "deliver" not in answer["allowed"]
    assert await stock_state(core) == before
    assert (await api.call("POST", "/orders/1/teleport"))[0] == 404
    assert (await api.call("GET", "/orders/ORD-999999"))[0] == 404


async def test_cancel_releases_and_cursor_paging(api: Api) -> None:
    await catalogue(api)
    for i in range(5):
        assert (await api.call("POST", "/orders", order_json(f"P-{i}")))[0] == 201
    status, order = await api.call("POST", "/orders/3/cancel", {"reason": "duplicate"})
    assert (status, order["status"], order["cancel_reason"]) == (200, "cancelled", "duplicate")
    _, inv = await api.call("GET", "/inventory/MUG-01")
    assert inv["warehouses"][0]["reserved"] == 8
    seen: list[str] = []
    cursor = ""
    while True:
        _, page = await api.call("GET", f"/orders?limit=2&cursor={cursor}")
        seen += [o["number"] for o in page["orders"]]
        if not page["next_cursor"]:
            break
        cursor = page["next_cursor"]
    assert seen == [f"ORD-00000{i}" for i in (5, 4, 3, 2, 1)]


async def test_returns_over_the_api(api: Api) -> None:
    await catalogue(api)
    await api.call("POST", "/orders", order_json())
    await api.call("POST", "/orders/1/ship", {"carrier": "BRT", "tracking_number": "T1"})
    await api.call("POST", "/orders/1/deliver")
    status, ret = await api.call("POST", "/returns", {"order": "ORD-000001",
                                                      "reason": "too small"})
    assert (status, ret["rma"], ret["status"]) == (201, "RMA-000001", "requested")
    status, listed = await api.call("GET", "/returns?status=requested")
    assert [r["rma"] for r in listed["returns"]] == ["RMA-000001"]
    assert (await api.call("GET", "/returns/RMA-000001"))[1]["order"] == "ORD-000001"
    assert (await api.call("GET", "/returns/RMA-000009"))[0] == 404


async def test_health_and_metrics(api: Api) -> None:
    resp = await api.client.get("/healthz")
    health = await resp.json()
    assert (resp.status, health["status"]) == (200, "ok")
    assert health["components"] == {"database": "ok", "telegram": "off", "slack": "off",
                                    "smtp": "off"}
    await api.call("GET", "/orders")
    metrics = await (await api.client.get("/metrics")).text()
    assert "omsbot_http_requests_total" in metrics


async def test_confirm_hold_release_and_the_customer_filter(api: Api) -> None:
    await catalogue(api)
    unpaid_body = order_json("PAY-1", payment={"status": "pending"})
    _, unpaid = await api.call("POST", "/orders", unpaid_body)
    assert (unpaid["status"], unpaid["payment_status"]) == ("pending_payment", "pending")
    status, order = await api.call("POST", "/orders/1/confirm")
    assert (status, order["status"], order["payment_status"]) == (200, "confirmed", "paid")
    _, order = await api.call("POST", "/orders/1/hold")
    assert (order["status"], order["allowed_actions"]) == ("on_hold", ["cancel", "release"])
    _, order = await api.call("POST", "/orders/1/release")
    assert order["status"] == "confirmed"
    other = order_json("PAY-2", customer={"email": "bob@example.com", "name": "Bob"})
    assert (await api.call("POST", "/orders", other))[0] == 201
    _, mine = await api.call("GET", "/orders?customer=BOB@example.com")
    assert [o["number"] for o in mine["orders"]] == ["ORD-000002"]
    status, bad = await api.call("GET", "/orders?customer=not-an-email")
    assert (status, bad["error"]) == (422, "validation_error")
