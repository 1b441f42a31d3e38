"""Buttons, modals, role rules, signatures, retries and double clicks, end to end."""

from __future__ import annotations

import asyncio
import time

from domain.orders import commands as oc
from domain.returns import commands as rc
from tests.catalog import order_command
from tests.doubles.slack_signing import slash_command_body, view_submission_body
from tests.e2e.slack_harness import (
    OPERATOR,
    STRANGER,
    VIEWER,
    Shop,
    buttons,
    delivered_order_with_return,
    shop,
    text_of,
)

__all__ = ["shop"]


async def test_hold_then_release_buttons_update_the_message(shop: Shop) -> None:
    await shop.core.bus.handle(order_command())

    held = await shop.click("order_hold", "1:confirmed", name="m1")
    assert held.status == 200
    [update] = await shop.slack.wait_for_response("m1")
    released = await shop.click("order_release", "1:on_hold", name="m1")
    assert released.status == 200
    [_, second] = await shop.slack.wait_for_response("m1", 2)

    assert update["replace_original"] is True
    assert text_of(update).startswith("<@UOPER> put on hold ORD-000001.")
    assert buttons(update) == [("order_release", "1:on_hold"), ("order_cancel", "1:on_hold")]
    assert text_of(second).startswith("<@UOPER> released ORD-000001.")
    assert (await shop.order(1))["status"] == "confirmed"


async def test_ship_button_opens_a_modal_whose_submission_ships(shop: Shop) -> None:
    await shop.core.bus.handle(order_command())

    await shop.click("order_ship", "1:confirmed", name="m1")
    [opened] = await shop.slack.wait_for("views.open")
    view = opened["view"]
    assert view["callback_id"] == "ship_order"
    assert [b["block_id"] for b in view["blocks"]] == ["carrier", "tracking", "eta"]

    bad = await shop.submit("ship_order", view["private_metadata"], {
        "carrier": {"value": "DHL"}, "tracking": {"value": "   "}})
    assert (await bad.json()) == {"response_action": "errors",
                                  "errors": {"tracking": "Please fill this in."}}
    assert (await shop.order(1))["status"] == "confirmed"

    ok = await shop.submit("ship_order", view["private_metadata"], {
        "carrier": {"value": "DHL"}, "tracking": {"value": "TRK-9"},
        "eta": {"value": {"type": "datepicker", "selected_date": "2026-11-28"}}})
    assert ok.status == 200
    [update] = await shop.slack.wait_for_response("m1")

    assert update["replace_original"] is True
    assert text_of(update).startswith("<@UOPER> shipped ORD-000001.")
    order = await shop.order(1)
    assert order["status"] == "shipped"
    assert (order["shipments"][0]["carrier"], order["shipments"][0]["eta"]) == ("DHL",
                                                                               "2026-11-28")


async def test_cancel_button_asks_a_reason(shop: Shop) -> None:
    await shop.core.bus.handle(order_command())

    await shop.click("order_cancel", "1:confirmed", name="m1")
    [opened] = await shop.slack.wait_for("views.open")
    assert opened["view"]["callback_id"] == "cancel_order"
    await shop.submit("cancel_order", opened["view"]["private_metadata"],
                      {"reason": {"value": "address\nis wrong"}})
    [update] = await shop.slack.wait_for_response("m1")

    assert "cancelled ORD-000001: “address is wrong”" in text_of(update)
    assert buttons(update) == []
    assert (await shop.order(1))["cancel_reason"] == "address is wrong"


async def test_deliver_button(shop: Shop) -> None:
    await shop.ask("receive MUG-01 1")  # any change first: buttons work after commands too
    await shop.core.bus.handle(order_command())
    await shop.ask("ship 1 DHL T1")

    await shop.click("order_deliver", "1:shipped", name="m1")
    [update] = await shop.slack.wait_for_response("m1")

    assert text_of(update).startswith("<@UOPER> delivered ORD-000001.")
    assert (await shop.order(1))["status"] == "delivered"


async def test_return_buttons_approve_receive_refund_and_reject(shop: Shop) -> None:
    order_id, rma = await delivered_order_with_return(shop.core)

    for verb, seen, name in (("approve", "requested", "a"), ("receive", "approved", "b"),
                             ("refund", "received", "c")):
        await shop.click(f"return_{verb}", f"{rma}:{seen}", name=name)
        [update] = await shop.slack.wait_for_response(name)
        assert update["replace_original"] is True
        assert f"<@UOPER> {verb}" in text_of(update)
    view = await shop.core.views.return_(rma)
    assert view is not None
    assert (view["status"], view["refund_amount"]) == ("refunded", "25.00")

    other = await shop.core.bus.handle(order_command("WEB-2"))
    await shop.core.bus.handle(oc.ShipOrder(other.order_id, "DHL", "T2"))
    await shop.core.bus.handle(oc.DeliverOrder(other.order_id))
    second = await shop.core.bus.handle(rc.RequestReturn(other.order_id, "changed mind"))
    await shop.click("return_reject", f"{second.return_id}:requested", name="d")
    [rejected] = await shop.slack.wait_for_response("d")
    assert "<@UOPER> rejected RMA-000002" in text_of(rejected)
    assert order_id == 1


async def test_a_click_on_an_ephemeral_message_is_also_told_to_the_channel(shop: Shop) -> None:
    await shop.core.bus.handle(order_command())

    await shop.click("order_hold", "1:confirmed", name="m1", ephemeral=True)
    [replaced, told] = await shop.slack.wait_for_response("m1", 2)

    assert replaced["replace_original"] is True
    assert (told["replace_original"], told["response_type"]) == (False, "in_channel")


async def test_a_viewer_cannot_ship(shop: Shop) -> None:
    await shop.core.bus.handle(order_command())

    typed = await shop.ask("ship 1 DHL T1", VIEWER)
    await shop.click("order_ship", "1:confirmed", VIEWER, name="m1")
    [clicked] = await shop.slack.wait_for_response("m1")
    await shop.click("order_hold", "1:confirmed", VIEWER, name="m2")
    [held] = await shop.slack.wait_for_response("m2")

    for answer in (typed, clicked, held):
        assert "needs the operator role; you are a viewer" in text_of(answer)
        assert answer["response_type"] == "ephemeral"
    assert shop.slack.calls_to("views.open") == []
    assert (await shop.order(1))["status"] == "confirmed"
    assert await shop.audit("order.ship") == [] and await shop.audit("order.hold") == []


async def test_an_unknown_user_is_refused_and_nothing_happens(shop: Shop) -> None:
    await shop.core.bus.handle(order_command())

    response, name = await shop.command("cancel 1 no reason", STRANGER)
    clicked = await shop.click("order_cancel", "1:confirmed", STRANGER, name="m1")
    [told] = await shop.slack.wait_for_response("m1")
    await shop.settle()

    assert response.status == 200
    assert "not authorised" in await response.text()
    assert shop.slack.responses(name) == []
    assert clicked.status == 200
    assert "not authorised" in text_of(told)
    assert shop.slack.calls_to("views.open") == []
    assert (await shop.order(1))["status"] == "confirmed"
    assert await shop.audit("order.cancel") == []


async def test_forged_and_replayed_signatures_get_401(shop: Shop) -> None:
    await shop.core.bus.handle(order_command())
    body = slash_command_body(text="hold 1", user_id=OPERATOR,
                              response_url=shop.slack.response_url("x"), trigger_id="9.9.t")

    forged = await shop.post(body, secret="not-the-secret")
    replayed = await shop.post(body, timestamp=int(time.time()) - 6 * 60)
    await shop.settle()

    assert (forged.status, replayed.status) == (401, 401)
    assert shop.slack.responses() == []
    assert (await shop.order(1))["status"] == "confirmed"


async def test_a_retried_delivery_has_one_effect(shop: Shop) -> None:
    body = slash_command_body(text="receive MUG-01 5", user_id=OPERATOR,
                              response_url=shop.slack.response_url("r"), trigger_id="7.7.t")

    first = await shop.post(body)
    retried = await shop.post(body, retry=1)
    await shop.slack.wait_for_response("r")
    await shop.settle()

    assert (first.status, retried.status) == (200, 200)
    assert len(shop.slack.responses("r")) == 1
    assert await shop.core.views.inventory("MUG-01") == [
        {"warehouse": "MIL", "on_hand": 105, "reserved": 0, "available": 105}]
    assert [a for a in await shop.audit("stock.receive") if a[0] == "slack:UOPER"] == [
        ("slack:UOPER", "MUG-01", {"warehouse": "MIL", "quantity": 5})]


async def test_a_double_click_has_one_effect(shop: Shop) -> None:
    await shop.core.bus.handle(order_command())
    first = shop.click_body("order_hold", "1:confirmed", name="m1")
    second = shop.click_body("order_hold", "1:confirmed", name="m1")

    statuses = await asyncio.gather(shop.post(first), shop.post(second))
    answers = await shop.slack.wait_for_response("m1", 2)
    await shop.settle()

    assert [r.status for r in statuses] == [200, 200]
    assert len(answers) == 2
    assert len(await shop.audit("order.hold")) == 1
    assert sum(a.get("replace_original") is True for a in answers) == 1
    refusal = next(a for a in answers if a.get("replace_original") is not True)
    assert "ORD-000001" in text_of(refusal) and refusal["response_type"] == "ephemeral"
    assert (await shop.order(1))["status"] == "on_hold"


async def test_a_stale_button_changes_nothing(shop: Shop) -> None:
    await shop.core.bus.handle(order_command())
    await shop.ask("hold 1")
    await shop.ask("release 1")
    await shop.ask("ship 1 DHL T1")

    await shop.click("order_hold", "1:on_hold", name="m1")  # shown while it was on hold
    [answer] = await shop.slack.wait_for_response("m1")

    assert text_of(answer).startswith("Nothing done: ORD-000001 is now shipped")
    assert (await shop.order(1))["status"] == "shipped"


async def test_the_modal_submission_retried_ships_once(shop: Shop) -> None:
    await shop.core.bus.handle(order_command())
    await shop.click("order_ship", "1:confirmed", name="m1")
    [opened] = await shop.slack.wait_for("views.open")
    body = view_submission_body("ship_order", opened["view"]["private_metadata"], {
        "carrier": {"value": "DHL"}, "tracking": {"value": "TRK-1"}}, OPERATOR,
        trigger_id="5.5.t")
    await shop.post(body)
    await shop.post(body, retry=1)
    await shop.slack.wait_for_response("m1")
    await shop.settle()

    assert len(shop.slack.responses("m1")) == 1
    assert len(await shop.audit("order.ship")) == 1
    assert (await shop.order(1))["status"] == "shipped"


async def test_po_list_approve_by_command_and_by_button(shop: Shop) -> None:
    from domain.automation.commands import CheckLowStock

    await shop.core.bus.handle(order_command("LOW", lines=(("MUG-01", 96),)))
    await shop.core.bus.handle(CheckLowStock())

    listed = await shop.ask("po", VIEWER)
    assert "*PO-000001* · draft · 50 × `MUG-01` Mug for MIL" in text_of(listed)
    refused = await shop.ask("po approve 1", VIEWER)
    assert "operator" in text_of(refused)

    response = await shop.click("po_approve", "1:draft", name="po-click")
    assert response.status == 200
    [answer] = await shop.slack.wait_for_response("po-click")
    assert "<@UOPER> approved *PO-000001*" in text_of(answer)
    assert buttons(answer) == []
    again = await shop.ask("po approve PO-000001")
    assert "*PO-000001* was already approved." in text_of(again)
    assert [a[1] for a in await shop.audit("purchase_order.approve")] == ["PO-000001"]


async def test_report_for_a_period(shop: Shop) -> None:
    await shop.core.bus.handle(order_command("R-1"))
    answer = await shop.ask("report week", VIEWER)
    assert answer["response_type"] == "ephemeral"
    assert "*Last 7 days," in text_of(answer)
    assert "Orders: 1 · revenue 25.00 EUR" in text_of(answer)  # the report's format since fx
    today = await shop.ask("report")
    assert "*Today," in text_of(today)
