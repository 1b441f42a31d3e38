"""The one input policy seen from outside, on SQLite and PostgreSQL: each case is a QA
finding (F2, F5, F7, F10, F14, F15, F20, F22, F30) that got through before."""

from __future__ import annotations

from decimal import Decimal

import pytest

from bot.bootstrap import Core
from domain.accounting.commands import RecordPayment
from domain.errors import ValidationError
from domain.returns import commands as rc
from tests.catalog import order_json
from tests.e2e.slack_harness import OPERATOR, Shop, delivered_order_with_return, shop
from tests.e2e.test_api import Api
from tests.e2e.test_input_fuzz import fuzz_api
from tests.helpers import table_counts

__all__ = ["fuzz_api", "shop"]


@pytest.fixture
def api(fuzz_api: Api) -> Api:
    """The API of a shop with the test catalogue (MUG-01 in stock at MIL)."""
    return fuzz_api


def paths(answer: dict[str, object]) -> list[str]:
    return [f["path"] for f in answer["fields"]]  # type: ignore[attr-defined]


async def test_a_lower_case_sku_gets_its_bin_and_keeps_its_case(api: Api) -> None:
    status, _ = await api.call("PUT", "/products/tshirt-red-m", {
        "name": "T-shirt red M", "price": "19.90", "currency": "EUR"})
    assert status in (200, 201)
    for typed, created in (("tshirt-red-m", 201), ("TSHIRT-RED-M", 200)):
        status, answer = await api.call("PUT", f"/inventory/{typed}/bins",
                                        {"warehouse": "MIL", "bin": "B-01-1"})
        assert (status, answer["sku"], answer["bin"]) == (created, "tshirt-red-m", "B-01-1")
    status, answer = await api.call("GET", "/inventory/TSHIRT-red-m")
    assert (status, answer["sku"]) == (200, "tshirt-red-m")


async def test_a_tracking_eta_in_the_past_is_refused(api: Api, core: Core) -> None:
    number = (await api.call("POST", "/orders", order_json()))[1]["number"]
    shipped = await api.call("POST", f"/orders/{number}/ship",
                             {"carrier": "BRT", "tracking_number": "TZ45", "eta": "2026-12-03"})
    assert shipped[0] == 200, shipped
    before = await table_counts(core)
    status, answer = await api.call("POST", "/tracking", {
        "tracking_number": "TZ45", "status": "in_transit", "eta": "2026-11-23"})
    assert (status, paths(answer)) == (422, ["eta"]), answer
    assert await table_counts(core) == before
    order = (await api.call("GET", f"/orders/{number}"))[1]
    assert order["shipments"][0]["eta"] == "2026-12-03"


async def test_too_many_decimals_are_refused_from_every_channel(shop: Shop) -> None:
    _, return_id = await delivered_order_with_return(shop.core)
    for action in ("approve", "receive"):
        await shop.core.bus.handle(rc.DecideReturn(return_id, action))

    refund = await shop.ask(f"return refund {return_id} 1.999", OPERATOR)
    with pytest.raises(ValidationError) as paid:
        await shop.core.bus.handle(RecordPayment(1, Decimal("1.999")))

    assert "EUR amounts have at most 2 decimal places" in str(refund)
    assert paid.value.message == "amount: EUR amounts have at most 2 decimal places"
    order = await shop.order(1)
    assert order["refunded"] == "0.00"


async def test_rates_are_plain_decimals(api: Api) -> None:
    status, _ = await api.call("PUT", "/products/CUP-20", {
        "name": "Cup", "price": "10.00", "currency": "EUR", "tax_rate": "20"})
    await api.call("POST", "/inventory/CUP-20/receive", {"warehouse": "MIL", "quantity": 5})
    status, order = await api.call("POST", "/orders", order_json(lines=[
        {"sku": "MUG-01", "quantity": 1, "unit_price": "10.00", "tax_rate": "10"},
        {"sku": "CUP-20", "quantity": 1}]))
    assert status == 201, order
    assert [ln["tax_rate"] for ln in order["lines"]] == ["10", "20"]
    again = (await api.call("GET", f"/orders/{order['number']}"))[1]
    assert [ln["tax_rate"] for ln in again["lines"]] == ["10", "20"]


@pytest.mark.parametrize(("path", "name"), [
    ("/inventory/MUG%00-01", "sku"), ("/customers/a%00b@example.com", "email"),
    ("/picklists/batch.pdf?warehouse=M%00IL", "warehouse"),
    ("/orders?customer=x%C2%85y", "customer"), ("/orders/ORD-1%E2%80%AE", "number")])
async def test_refused_characters_in_a_path_or_query_are_a_422(
        api: Api, path: str, name: str) -> None:
    status, answer = await api.call("GET", path)
    assert (status, paths(answer)) == (422, [name]), answer


@pytest.mark.parametrize("warehouse", ["A%3CB", "NOWH"])
async def test_a_pick_list_of_an_unknown_warehouse_is_404(api: Api, warehouse: str) -> None:
    status, answer = await api.call("GET", f"/picklists/batch.pdf?warehouse={warehouse}")
    assert (status, answer["error"]) == (404, "not_found"), answer


@pytest.mark.parametrize("char", ["\u0085", "\u009b", "\u007f", "\u202e", "\u2067"])
async def test_c1_del_and_bidi_controls_are_refused(api: Api, core: Core, char: str) -> None:
    before = await table_counts(core)
    status, answer = await api.call("POST", "/orders", order_json(
        customer={"email": "m@example.com", "name": f"Mario{char}Rossi"}))
    assert (status, paths(answer)) == (422, ["customer.name"]), answer
    assert await table_counts(core) == before


async def test_a_422_names_every_bad_field(api: Api) -> None:
    status, answer = await api.call("POST", "/orders", order_json(
        customer={"email": "m@example.com", "name": "Mario\u0000Rossi"}, flags=["vip\u0000"],
        channel="web\n", lines=[{"sku": "MUG-01", "quantity": 1, "unit_price": "1_000"}]))
    assert status == 422, answer
    assert sorted(paths(answer)) == ["channel", "customer.name", "flags.0",
                                     "lines.0.unit_price"]


@pytest.mark.parametrize(("at", "why"), [("2001-01-01T00:00:00Z", "before ORD-000001"),
                                         ("2031-01-01T00:00:00Z", "in the future")])
async def test_a_payment_dated_outside_the_orders_life_is_refused(
        api: Api, core: Core, at: str, why: str) -> None:
    number = (await api.call("POST", "/orders", order_json(payment={"status": "pending"})))[1][
        "number"]
    before = await table_counts(core)
    status, answer = await api.call("POST", f"/orders/{number}/payments",
                                    {"amount": "1.00", "at": at})
    assert (status, paths(answer)) == (422, ["at"]), answer
    assert why in answer["message"]
    assert await table_counts(core) == before


@pytest.mark.parametrize("price", ["1_000", "\u0661\u0662", "1E+1", "Infinity"])
async def test_decimals_are_written_plainly(api: Api, price: str) -> None:
    status, answer = await api.call("PUT", "/products/MUG-01", {
        "name": "Mug", "price": price, "currency": "EUR", "tax_rate": price})
    assert (status, sorted(paths(answer))) == (422, ["price", "tax_rate"]), answer


async def test_a_sales_channel_is_one_channel_in_any_case(api: Api) -> None:
    status, first = await api.call("POST", "/orders", order_json("SAME-1", channel="WEB"))
    assert (status, first["channel"]) == (201, "web"), first
    status, again = await api.call("POST", "/orders", order_json("SAME-1", channel="web"))
    assert (status, again["number"]) == (200, first["number"]), again
