"""The server's front door (CONTRACT §4): GET /, JSON 404s, /healthz components, /readyz,
the generated OpenAPI document and request ids, through the real aiohttp app."""

from __future__ import annotations

import json
import logging
from collections.abc import AsyncIterator
from typing import Any

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer

from bot.bootstrap import Core
from bot.lifecycle import Lifecycle, Phase, configured_components
from bot.logs import JsonFormatter, RequestIdFilter
from bot.web import build_web_app
from channels.http.openapi import API_PREFIX, openapi_document, routes
from channels.http.schemas import OrderIn, ShipIn


@pytest.fixture
async def http(core: Core) -> AsyncIterator[TestClient[Any, Any]]:
    client = TestClient(TestServer(build_web_app(core)))
    await client.start_server()
    try:
        yield client
    finally:
        await client.close()


async def test_the_root_answers_json_to_programs_and_html_to_browsers(
        http: TestClient[Any, Any]) -> None:
    as_json = await http.get("/")
    as_html = await http.get("/", headers={"Accept": "text/html,application/xhtml+xml"})

    body = await as_json.json()
    assert (body["name"], body["docs"], body["health"]) == (
        "omsbot", "/api/v1/openapi.json", "/healthz")
    assert body["version"]
    page = await as_html.text()
    assert as_html.content_type == "text/html"
    assert 'href="/api/v1/openapi.json"' in page and 'href="/healthz"' in page


async def test_unknown_paths_answer_json(http: TestClient[Any, Any]) -> None:
    missing = await http.get("/no/such/thing")
    wrong_method = await http.delete("/healthz")

    assert (missing.status, await missing.json()) == (
        404, {"error": "not_found", "message": "no such path: /no/such/thing"})
    assert wrong_method.status == 405
    assert (await wrong_method.json())["error"] == "method_not_allowed"


async def test_health_names_each_component(http: TestClient[Any, Any]) -> None:
    health = await http.get("/healthz")
    ready = await http.get("/readyz")

    assert await health.json() == {"status": "ok", "components": {
        "database": "ok", "telegram": "off", "slack": "off", "smtp": "off"}}
    assert (ready.status, await ready.json()) == (200, {"status": "ready"})


@pytest.mark.parametrize(("phase", "reason", "expected"), [
    (Phase.STARTING, "starting", "starting"),
    (Phase.READY, "the database schema is not at the newest migration", "the database"),
    (Phase.STOPPING, None, "stopping"),
])
async def test_readiness_waits_for_start_up_and_schema_and_ends_at_stop(
        core: Core, phase: Phase, reason: str | None, expected: str) -> None:
    lifecycle = Lifecycle(configured_components(telegram=True, slack=False, smtp=True))
    lifecycle.phase, lifecycle.not_ready_reason = phase, reason
    async with TestClient(TestServer(build_web_app(core, lifecycle))) as client:
        ready = await client.get("/readyz")
        health = await client.get("/healthz")

        assert ready.status == 503
        assert (await ready.json())["reason"].startswith(expected)
        assert health.status == 200  # alive, even when not ready
        assert (await health.json())["components"]["telegram"] == "ok"


async def test_openapi_lists_every_registered_route_with_its_request_schema(
        http: TestClient[Any, Any]) -> None:
    response = await http.get("/api/v1/openapi.json")  # public: no token needed
    document = await response.json()

    assert document["openapi"].startswith("3.1")
    app = http.server.app
    assert isinstance(app, web.Application)
    registered = {(method.lower(), path) for method, path, _ in routes(app)}
    documented = {(method, path) for path, ops in document["paths"].items() for method in ops}
    assert registered == documented
    assert any(path.startswith(API_PREFIX + "/") for _, path in registered)
    post_order = document["paths"]["/api/v1/orders"]["post"]
    assert post_order["requestBody"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/OrderIn"}
    assert document["components"]["schemas"]["OrderIn"]["required"] == \
        OrderIn.model_json_schema()["required"]
    action = document["paths"]["/api/v1/orders/{number}/{action}"]["post"]
    one_of = action["requestBody"]["content"]["application/json"]["schema"]["oneOf"]
    assert {"$ref": f"#/components/schemas/{ShipIn.__name__}"} in one_of
    assert post_order["security"] == [{"bearer": []}]


async def test_a_route_added_later_is_documented(core: Core) -> None:
    app = build_web_app(core)

    async def probe(request: web.Request) -> web.Response:
        """A probe."""
        body = ShipIn.model_validate(await request.json())
        return web.json_response(body.model_dump())

    app.router.add_put("/api/v1/probe/{id}", probe)
    document = openapi_document(app)

    operation = document["paths"]["/api/v1/probe/{id}"]["put"]
    assert operation["summary"] == "A probe."
    assert operation["parameters"][0]["name"] == "id"
    assert "ShipIn" in json.dumps(operation["requestBody"])


async def test_each_response_and_log_line_carries_the_request_id(
        http: TestClient[Any, Any]) -> None:
    given = await http.get("/healthz", headers={"X-Request-Id": "abc-123"})
    made = await http.get("/nowhere")

    assert given.headers["X-Request-Id"] == "abc-123"
    assert len(made.headers["X-Request-Id"]) == 16


def test_json_log_lines_carry_the_request_id() -> None:
    from bot.logs import REQUEST_ID

    record = logging.LogRecord("omsbot", logging.WARNING, __file__, 1, "order %s", ("X",), None)
    token = REQUEST_ID.set("r-1")
    try:
        RequestIdFilter().filter(record)
    finally:
        REQUEST_ID.reset(token)
    line = json.loads(JsonFormatter().format(record))

    assert (line["level"], line["message"], line["request_id"]) == ("warning", "order X", "r-1")
    assert line["time"].endswith("Z")
