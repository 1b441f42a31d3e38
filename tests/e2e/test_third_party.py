"""Third-party logistics against a local fake 3PL that is down at first: signed requests
through the outbox with retries, one accepted request per parcel, signed confirmations."""

from __future__ import annotations

import json
import socket
from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Any

import pytest
from aiohttp import web

from bot.bootstrap import Core
from bot.delivery import OutboxWorker
from bot.outbox_service import third_party_notifier
from domain.clock import FixedClock
from domain.fulfillment.thirdparty import body_bytes, sign, verify
from storage.outbox import SqlOutboxStore
from tests.catalog import order_json
from tests.e2e.fulfilment_rig import Api, api, fulfilment_shop
from tests.helpers import table_counts

__all__ = ["api"]
SECRET = "3pl-shared-secret-0123456789"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class FakeThirdParty:
    """A 3PL's webhook: records what it accepts; not listening until `start`."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.received: list[tuple[dict[str, str], bytes]] = []
        self.runner: web.AppRunner | None = None

    async def start(self) -> None:
        app = web.Application()
        app.router.add_post("/requests", self._receive)
        self.runner = web.AppRunner(app)
        await self.runner.setup()
        await web.TCPSite(self.runner, "127.0.0.1", self.port).start()

    async def _receive(self, request: web.Request) -> web.Response:
        self.received.append((dict(request.headers), await request.read()))
        return web.json_response({"accepted": True}, status=202)

    async def stop(self) -> None:
        if self.runner is not None:
            await self.runner.cleanup()


@pytest.fixture
async def third_party() -> AsyncIterator[FakeThirdParty]:
    fake = FakeThirdParty(_free_port())
    try:
        yield fake
    finally:
        await fake.stop()


async def _run_by_3pl(api: Api, third_party: FakeThirdParty) -> None:
    await fulfilment_shop(api)
    status, shown = await api.call("PUT", "/warehouses/MIL", {
        "name": "Milano (3PL)", "country": "IT", "postal_code": "20126", "priority": 1,
        "fulfilment": {"webhook_url": f"http://127.0.0.1:{third_party.port}/requests",
                       "secret": SECRET}})
    assert status == 200 and shown["fulfilment"]["secret"] == "***"


async def _confirm(api: Api, fulfilment: int, body: dict[str, Any],
                   signature: str | None) -> tuple[int, Any]:
    raw = json.dumps(body).encode()
    headers = {"Content-Type": "application/json"}
    if signature is not None:
        headers["X-Omsbot-Signature"] = signature
    resp = await api.client.post(f"/api/v1/fulfilments/{fulfilment}/shipments", data=raw,
                                 headers=headers)  # no API token: the signature is the key
    return resp.status, await resp.json()


async def test_requests_wait_for_a_3pl_that_is_down_then_arrive_once_signed(
    api: Api, core: Core, clock: FixedClock, third_party: FakeThirdParty
) -> None:
    await _run_by_3pl(api, third_party)
    _, order = await api.call("POST", "/orders", order_json("WEB-1"))
    worker = OutboxWorker(core.db, {"fulfilment": third_party_notifier(core)}, clock)
    counts = await worker.drain()
    assert (counts.claimed, counts.retried, counts.sent) == (1, 1, 0)  # 3PL down
    [row] = [n for n in await SqlOutboxStore(core.db, clock).listing()
             if n.channel == "fulfilment"]
    assert row.status == "pending" and "unreachable" in (row.last_error or "")
    await third_party.start()
    clock.set(clock.now() + timedelta(minutes=5))
    assert (await worker.drain()).sent == 1
    clock.set(clock.now() + timedelta(hours=2))
    assert (await worker.drain()).claimed == 0  # accepted once: never sent again
    [(headers, body)] = third_party.received
    assert verify(SECRET, body, headers["X-Omsbot-Signature"])
    request = json.loads(body)
    parcel = order["shipments"][0]
    assert (request["id"], request["order"], request["warehouse"]) == (
        parcel["id"], order["number"], "MIL")
    assert request["lines"] == [{"sku": "MUG-01", "name": "Espresso mug", "quantity": 2}]
    assert headers["Idempotency-Key"] == f"fulfilment-{parcel['id']}"


async def test_an_unpaid_order_reaches_the_3pl_once_it_is_paid(
    api: Api, core: Core, clock: FixedClock, third_party: FakeThirdParty
) -> None:
    await _run_by_3pl(api, third_party)
    _, order = await api.call("POST", "/orders", order_json("WEB-1",
                                                            payment={"status": "pending"}))
    assert [n.channel for n in await SqlOutboxStore(core.db, clock).listing()
            if n.channel == "fulfilment"] == []
    await api.call("POST", f"/orders/{order['number']}/confirm", {})
    assert [n.kind for n in await SqlOutboxStore(core.db, clock).listing()
            if n.channel == "fulfilment"] == ["fulfilment_request"]


async def test_the_3pl_confirms_with_its_signature_and_nothing_else_changes_anything(
    api: Api, core: Core, third_party: FakeThirdParty
) -> None:
    await _run_by_3pl(api, third_party)
    _, order = await api.call("POST", "/orders", order_json("WEB-1"))
    fulfilment = order["shipments"][0]["id"]
    shipped = {"carrier": "GLS", "tracking_number": "GLS123", "lines": [
        {"sku": "MUG-01", "quantity": 1}]}
    before = await table_counts(core)
    for signature in (None, "sha256=00", sign("another secret", body_bytes(shipped))):
        status, answer = await _confirm(api, fulfilment, shipped, signature)
        assert (status, answer["error"]) == (401, "unauthorized")
    assert (await _confirm(api, 999999, shipped, "sha256=00"))[0] == 401
    assert await table_counts(core) == before
    raw_signature = sign(SECRET, json.dumps(shipped).encode())
    status, answer = await _confirm(api, fulfilment, shipped, raw_signature)
    assert (status, answer["status"], answer["changed"]) == (200, "partially_shipped", True)
    again = await _confirm(api, fulfilment, shipped, raw_signature)
    assert again[0] == 200 and again[1]["changed"] is False
    _, view = await api.call("GET", f"/orders/{order['number']}")
    assert [(s["status"], s["tracking_number"], s["items"]) for s in view["shipments"]] == [
        ("shipped", "GLS123", [{"sku": "MUG-01", "quantity": 1}]),
        ("pending", None, [{"sku": "MUG-01", "quantity": 1}])]
