"""Money end to end over HTTP, on SQLite and PostgreSQL: payments, per-line refunds, the
refund limit, exchanges, and the refund mail that reaches the SMTP server."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest
from aiohttp.test_utils import TestClient, TestServer

from bot.bootstrap import Core
from bot.web import build_web_app
from channels.rendering import format_money
from domain.clock import FixedClock
from tests.catalog import order_json
from tests.doubles.smtp_sink import SmtpSink
from tests.e2e.test_api import Api
from tests.e2e.test_email_outgoing import bodies, email_worker, mail_core


@pytest.fixture
async def shop(database_url: str, clock: FixedClock) -> AsyncIterator[tuple[Api, Core,
                                                                           SmtpSink]]:
    sink = await SmtpSink().start()
    core = mail_core(database_url, clock, sink.url)
    client = TestClient(TestServer(build_web_app(core)))
    await client.start_server()
    api = Api(client, await core.tokens.create("money test"))
    try:
        await catalogue(api)
        yield api, core, sink
    finally:
        await client.close()
        await core.close()
        await sink.stop()


async def ok(api: Api, method: str, path: str, body: Any = None, status: int = 200) -> Any:
    got, answer = await api.call(method, path, body)
    assert got == status, answer
    return answer


async def catalogue(api: Api) -> None:
    await ok(api, "PUT", "/warehouses/MIL", {"name": "Milano", "country": "IT",
                                             "postal_code": "20100"}, 201)  # created
    await ok(api, "PUT", "/products/MUG-01", {"name": "Mug", "price": "14.00",
                                              "currency": "EUR", "cost": "4.00"}, 201)
    await ok(api, "PUT", "/shipping-methods/standard", {
        "name": "Standard", "ship_within_hours": 48, "transit_days": 5,
        "prices": {"EUR": "4.90", "USD": "5.50"}}, 201)
    await ok(api, "POST", "/inventory/MUG-01/receive", {"warehouse": "MIL", "quantity": 50})


def gift_order(external_id: str, prices: tuple[str, str], **extra: Any) -> dict[str, Any]:
    return order_json(external_id, lines=[
        {"sku": "MUG-01", "quantity": 1, "unit_price": prices[0]},
        {"sku": "MUG-01", "quantity": 1, "unit_price": prices[1]}], **extra)


async def delivered_and_returned(api: Api, body: dict[str, Any], **ret: Any) -> tuple[str, str]:
    order = await ok(api, "POST", "/orders", body, status=201)
    number = order["number"]
    await ok(api, "POST", f"/orders/{number}/ship", {"carrier": "BRT",
                                                     "tracking_number": f"T-{number}"})
    await ok(api, "POST", f"/orders/{number}/deliver")
    created = await ok(api, "POST", "/returns", {"order": number, "reason": "not needed",
                                                 **ret}, status=201)
    rma = created["rma"]
    for action in ("approve", "receive"):
        await ok(api, "POST", f"/returns/{rma}/{action}")
    return number, rma


@pytest.mark.parametrize("prices", [("0.00", "14.00"), ("14.00", "0.00")])
async def test_a_gift_and_a_paid_unit_of_one_sku_refund_the_paid_price_and_mail_it(
        shop: tuple[Api, Core, SmtpSink], prices: tuple[str, str]) -> None:
    api, core, sink = shop
    number, rma = await delivered_and_returned(api, gift_order("GIFT", prices))
    order = await ok(api, "GET", f"/orders/{number}")
    assert (order["total"], order["paid"], order["payment_status"]) == (
        "18.90", "18.90", "paid")
    ret = await ok(api, "POST", f"/returns/{rma}/refund")
    assert (ret["refund_amount"], ret["status"]) == ("14.00", "refunded")
    order = await ok(api, "GET", f"/orders/{number}")
    assert (order["refunded"], order["payment_status"]) == ("14.00", "partially_refunded")
    await email_worker(core).drain()
    [refund_mail] = [m for m in sink.messages if "rimborso" in str(m["Subject"])]
    text, html = bodies(refund_mail)
    paid_back = format_money("14.00", "EUR", "it")  # the customer writes Italian
    assert paid_back in text and paid_back in html
    assert format_money("28.00", "EUR", "it") not in text
    assert format_money("0.00", "EUR", "it") not in text


async def test_refund_amounts_up_to_what_is_left_never_above(
        shop: tuple[Api, Core, SmtpSink]) -> None:
    api, _, _ = shop
    number, rma = await delivered_and_returned(api, gift_order("LIMIT", ("14.00", "14.00")),
                                               lines=[{"sku": "MUG-01", "quantity": 1}])
    status, refused = await api.call("POST", f"/returns/{rma}/refund", {"amount": "32.91"})
    assert status == 422, refused
    assert (refused["error"], refused["refundable"]) == ("refund_too_large", "32.90")
    assert "32.90" in refused["message"]
    ret = await ok(api, "POST", f"/returns/{rma}/refund", {"amount": "18.90"})  # + shipping
    assert ret["refund_amount"] == "18.90"
    order = await ok(api, "GET", f"/orders/{number}")
    assert (order["refunded"], order["payment_status"]) == ("18.90", "partially_refunded")


async def test_payments_make_an_unpaid_order_paid_and_an_unpaid_one_refunds_nothing(
        shop: tuple[Api, Core, SmtpSink]) -> None:
    api, _, _ = shop
    body = gift_order("UNPAID", ("14.00", "14.00"), payment={"status": "pending"})
    order = await ok(api, "POST", "/orders", body, status=201)
    number = order["number"]
    assert (order["status"], order["payment_status"], order["paid"]) == (
        "pending_payment", "pending", "0.00")
    order = await ok(api, "POST", f"/orders/{number}/payments",
                     {"amount": "10.00", "method": "bank", "reference": "SEPA-1"}, status=201)
    assert (order["status"], order["payment_status"], order["paid"]) == (
        "pending_payment", "partially_paid", "10.00")
    status, refused = await api.call("POST", f"/orders/{number}/payments", {"amount": "30.00"})
    assert (status, refused["error"]) == (409, "payment_too_large")
    status, refused = await api.call("POST", f"/orders/{number}/payments",
                                     {"amount": "1.00", "currency": "USD"})
    assert status == 422, refused
    order = await ok(api, "POST", f"/orders/{number}/payments", {"amount": "22.90"},
                     status=201)
    assert (order["status"], order["payment_status"], order["paid"]) == (
        "confirmed", "paid", "32.90")


async def test_an_exchange_is_settled_by_a_free_replacement(
        shop: tuple[Api, Core, SmtpSink]) -> None:
    api, _, _ = shop
    number, rma = await delivered_and_returned(
        api, gift_order("SWAP", ("14.00", "14.00")), exchange=True,
        lines=[{"sku": "MUG-01", "quantity": 1}])
    ret = await ok(api, "GET", f"/returns/{rma}")
    replacement = await ok(api, "GET", f"/orders/{ret['replacement_order']}")
    assert (replacement["total"], replacement["shipping_total"], replacement["subtotal"],
            replacement["payment_status"], replacement["status"]) == (
        "0.00", "0.00", "0.00", "paid", "confirmed")
    ret = await ok(api, "POST", f"/returns/{rma}/refund")
    assert ret["refund_amount"] == "0.00"
    order = await ok(api, "GET", f"/orders/{number}")
    assert (order["refunded"], order["payment_status"]) == ("0.00", "paid")


async def test_a_currency_the_shipping_method_has_no_price_in_is_422(
        shop: tuple[Api, Core, SmtpSink]) -> None:
    api, _, _ = shop
    status, answer = await api.call("POST", "/orders", order_json(
        "JPY", currency="JPY", lines=[{"sku": "MUG-01", "quantity": 1, "unit_price": "2100"}]))
    assert status == 422, answer
    assert answer["fields"] == [{"path": "shipping_method", "message":
                                 "standard has no price in JPY (it is priced in EUR, USD)"}]
    order = await ok(api, "POST", "/orders", order_json("USD", currency="USD"), status=201)
    assert (order["shipping_total"], order["total"]) == ("5.50", "30.50")


async def test_a_partial_cancellation_of_a_paid_order_refunds_its_units(
        shop: tuple[Api, Core, SmtpSink]) -> None:
    api, _, _ = shop
    order = await ok(api, "POST", "/orders", gift_order("CXL", ("0.00", "14.00")), status=201)
    number = order["number"]
    order = await ok(api, "POST", f"/orders/{number}/cancel",
                     {"reason": "one less", "lines": [{"sku": "MUG-01", "quantity": 1}]})
    assert (order["paid"], order["refunded"], order["payment_status"]) == (
        "18.90", "14.00", "partially_refunded")  # the last line's unit went: 14.00
    journal = await ok(api, "GET", "/journal?from=2026-11-24&to=2026-11-24")
    refund = [ln for ln in journal["lines"] if ln["entry"].startswith("RFD-")]
    assert [(ln["account"], ln["debit"], ln["credit"]) for ln in refund] == [
        ("receivables", "14.00", "0.00"), ("cash", "0.00", "14.00")]
