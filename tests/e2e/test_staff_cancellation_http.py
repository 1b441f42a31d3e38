"""Staff cancellations and unpaid orders end to end over HTTP and e-mail, on SQLite and
PostgreSQL (tester findings F3, F6, F9, F27)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import date, timedelta
from typing import Any

import pytest
from aiohttp.test_utils import TestClient, TestServer
from sqlalchemy import select

from bot.bootstrap import Core
from bot.web import build_web_app
from channels.email.compose import compose
from channels.email.context import Shop, build_context
from channels.rendering import build_environment
from domain.notifications import Notification
from storage import orm
from tests.catalog import order_json
from tests.e2e.test_api import Api, catalogue


@pytest.fixture
async def api(core: Core) -> AsyncIterator[Api]:
    client = TestClient(TestServer(build_web_app(core)))
    await client.start_server()
    try:
        yield Api(client, await core.tokens.create("web shop"))
    finally:
        await client.close()


async def mails(core: Core, number: str) -> list[tuple[str, str]]:
    """(kind, plain text) of the customer e-mails of order `number`, rendered in English
    from the stored outbox the way the e-mail worker renders them."""
    order_id = int(number.removeprefix("ORD-"))
    async with core.db.read_sessions() as s:
        rows = (await s.execute(select(orm.notifications).where(
            orm.notifications.c.order_id == order_id, orm.notifications.c.channel == "email")
            .order_by(orm.notifications.c.id))).all()
    env, found = build_environment(), []
    for row in rows:
        n = Notification(channel=row.channel, kind=row.kind, recipient=row.recipient,
                         payload=row.payload, created_at=row.created_at,
                         next_attempt_at=row.created_at, order_id=row.order_id)
        context = await build_context(core.views, n, shop=Shop("Shop", "s@example.com",
                                                               "https://shop.example"),
                                      tz="Europe/Rome", locale="en",
                                      unpaid_hold=timedelta(hours=24))
        msg = compose(env, n.kind, "en", context, sender="s@example.com", to=n.recipient,
                      reply_to=None, message_id_domain="shop.example", thread_key=number,
                      list_unsubscribe=None)
        body = msg.get_body(preferencelist=("plain",))
        assert body is not None
        # the wire form ends lines with CRLF (RFC 5322); compare the text as a reader sees it
        found.append((n.kind, str(body.get_content()).replace("\r\n", "\n")))
    return found


async def place(api: Api, **overrides: Any) -> dict[str, Any]:
    await catalogue(api)
    status, order = await api.call("POST", "/orders", order_json(
        shipping_method="express", **overrides))
    assert status == 201, order
    return dict(order)


async def test_an_empty_list_of_lines_is_refused_and_cancels_nothing(
        api: Api, core: Core) -> None:
    order = await place(api)
    number = order["number"]
    for lines in ([], [{"sku": "MUG-01", "quantity": 0}]):
        status, body = await api.call("POST", f"/orders/{number}/cancel",
                                      {"reason": "nothing", "lines": lines})
        assert status == 422, body
    status, view = await api.call("GET", f"/orders/{number}")
    assert (view["status"], view["refunded"], view["lines"][0]["cancelled"]) == (
        "confirmed", "0.00", 0)
    assert [kind for kind, _ in await mails(core, number)] == ["order_confirmation"]


async def test_a_partial_cancellation_charges_what_is_left_and_tells_the_customer(
        api: Api, core: Core) -> None:
    order = await place(api)  # 2 × 12.50 + 9.90 express, paid 34.90
    number = order["number"]
    status, view = await api.call("POST", f"/orders/{number}/cancel", {
        "reason": "damaged", "lines": [{"sku": "mug-01", "quantity": 1}]})
    assert status == 200, view
    assert (view["subtotal"], view["shipping_total"], view["total"], view["paid"],
            view["refunded"], view["payment_status"]) == (
        "12.50", "9.90", "22.40", "34.90", "12.50", "partially_refunded")
    [line] = view["lines"]
    assert (line["quantity"], line["cancelled"], line["charged_quantity"],
            line["line_total"]) == (2, 1, 1, "12.50")

    sent = await mails(core, number)
    assert [kind for kind, _ in sent] == ["order_confirmation", "order_cancelled",
                                          "refund_issued"]
    cancelled, refund = sent[1][1], sent[2][1]
    assert "- 1 × Mug (MUG-01)\n" in cancelled and "Total: €22.40" in cancelled
    assert "- 1 × Mug (MUG-01) · €12.50 = €12.50" in cancelled
    assert "1 × Mug (MUG-01) cancelled" in cancelled
    assert "We have refunded €12.50 for the cancelled items of order" in refund

    status, view = await api.call("POST", f"/orders/{number}/cancel", {"reason": "all"})
    assert (status, view["status"], view["refunded"]) == (200, "cancelled", "34.90")
    sent = await mails(core, number)
    assert [kind for kind, _ in sent][3:] == ["order_cancelled", "refund_issued"]
    assert "has been cancelled" in sent[3][1]
    assert "We have refunded €22.40" in sent[4][1]


async def test_an_order_without_payment_awaits_it(api: Api, core: Core) -> None:
    await catalogue(api)
    body = order_json(shipping_method="express")
    del body["payment"]
    status, order = await api.call("POST", "/orders", body)
    assert status == 201, order
    assert (order["status"], order["payment_status"], order["paid"]) == (
        "pending_payment", "pending", "0.00")
    assert [kind for kind, _ in await mails(core, order["number"])] == [
        "order_awaiting_payment"]
    status, problem = await api.call("POST", "/orders", order_json("WEB-2", payment={}))
    assert status == 422 and problem["fields"][0]["path"].startswith("payment")
    day = date.fromisoformat(order["placed_at"][:10])
    assert not [ln for ln in await core.views.journal(day, day) if ln["account"] == "cash"]
