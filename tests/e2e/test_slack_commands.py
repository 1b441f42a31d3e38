"""Every `/oms` command of the staff grammar, through the real bolt app on our server."""

from __future__ import annotations

import json

import pytest

from domain.orders import commands as oc
from tests.catalog import order_command
from tests.e2e.slack_harness import (
    ADMIN,
    OPERATOR,
    VIEWER,
    Shop,
    buttons,
    delivered_order_with_return,
    shop,
    text_of,
)

__all__ = ["shop"]


async def test_help_lists_the_working_commands_only(shop: Shop) -> None:
    answer = await shop.ask("help", VIEWER)

    assert answer["response_type"] == "ephemeral"
    assert "/oms ship N [CARRIER TRACKING] [eta YYYY-MM-DD]" in text_of(answer)
    assert "/oms top [N]" in text_of(answer)
    assert "/oms picklist single|batch|zone|wave [WAREHOUSE [BATCH SIZE]]" in text_of(answer)


@pytest.mark.parametrize("shop", ["de"], indirect=True)
async def test_a_grammar_error_is_said_in_the_staff_language(shop: Shop) -> None:
    answer = await shop.ask("receive MUG-01 1.9 MIL")
    unknown = await shop.ask("recieve")

    assert text_of(answer) == ("`1.9` passt nicht als Menge; schreiben Sie eine ganze Zahl "
                               "wie 3.\nAufruf: `/oms receive SKU MENGE [LAGER]`")
    assert answer["response_type"] == "ephemeral"
    assert text_of(unknown).startswith("Unbekannter Befehl `recieve`; meinten Sie `receive`?")


async def test_a_wrong_command_gets_its_usage_line(shop: Shop) -> None:
    answer = await shop.ask("ship 12 DHL")

    assert "`ship` needs a tracking number." in text_of(answer)
    assert "Usage: `/oms ship N [CARRIER TRACKING] [eta YYYY-MM-DD]`" in text_of(answer)
    assert answer["response_type"] == "ephemeral"
    assert "Unknown command `teleport`" in text_of(await shop.ask("teleport 12"))


async def test_order_shows_lines_and_buttons_for_an_operator_only(shop: Shop) -> None:
    placed = await shop.core.bus.handle(order_command())

    mine = await shop.ask(f"order {placed.number}", OPERATOR)
    theirs = await shop.ask(f"order {placed.order_id}", VIEWER)

    assert mine["response_type"] == "ephemeral"
    assert "*ORD-000001*" in text_of(mine) and "2 × MUG-01 Mug" in text_of(mine)
    assert buttons(mine) == [("order_ship", "1:confirmed"), ("order_hold", "1:confirmed"),
                             ("order_cancel", "1:confirmed")]
    assert buttons(theirs) == []
    assert "Order ORD-000099 not found" in text_of(await shop.ask("order 99"))


async def test_orders_lists_and_filters_by_status(shop: Shop) -> None:
    first = await shop.core.bus.handle(order_command("WEB-1"))
    await shop.core.bus.handle(order_command("WEB-2"))
    await shop.core.bus.handle(oc.HoldOrder(first.order_id))

    everything = text_of(await shop.ask("orders", VIEWER))
    held = text_of(await shop.ask("orders on hold", VIEWER))

    assert "ORD-000001" in everything and "ORD-000002" in everything
    assert "ORD-000001" in held and "ORD-000002" not in held
    assert "No delivered orders" in text_of(await shop.ask("orders delivered"))


async def test_ship_deliver_in_the_channel_and_audited_with_the_slack_user(shop: Shop) -> None:
    await shop.core.bus.handle(order_command())

    shipped = await shop.ask("ship ORD-000001 DHL TRK123 eta 2026-11-28")
    delivered = await shop.ask("deliver 1")

    assert shipped["response_type"] == "in_channel"
    assert text_of(shipped).startswith("<@UOPER> shipped ORD-000001.")
    assert "DHL TRK123" in text_of(shipped)
    assert buttons(shipped) == [("order_deliver", "1:shipped")]
    assert text_of(delivered).startswith("<@UOPER> delivered ORD-000001.")
    assert (await shop.order(1))["status"] == "delivered"
    [(actor, subject, details)] = await shop.audit("order.ship")
    assert (actor, subject, details["tracking"]) == ("slack:UOPER", "ORD-000001", "TRK123")


async def test_cancel_hold_release_and_flag(shop: Shop) -> None:
    await shop.core.bus.handle(order_command("WEB-1"))
    await shop.core.bus.handle(order_command("WEB-2"))

    held = await shop.ask("hold 1")
    released = await shop.ask("release 1")
    cancelled = await shop.ask('cancel 2 customer changed their mind')
    flagged = await shop.ask("flag 1 vip")

    assert "put on hold ORD-000001" in text_of(held)
    assert buttons(held) == [("order_release", "1:on_hold"), ("order_cancel", "1:on_hold")]
    assert "released ORD-000001" in text_of(released)
    assert "cancelled ORD-000002: “customer changed their mind”" in text_of(cancelled)
    assert "flagged ORD-000001 vip" in text_of(flagged)
    assert (await shop.order(2))["status"] == "cancelled"
    assert (await shop.order(1))["flags"] == ["vip"]
    assert "cannot ship" in text_of(await shop.ask("ship 2 DHL T1"))


async def test_stock_receive_and_lowstock(shop: Shop) -> None:
    stock = await shop.ask("stock mug-01", VIEWER)
    received = await shop.ask("receive TEA-01 5 ROM")
    low = await shop.ask("lowstock", VIEWER)

    assert "MIL: 100 available (100 on hand, 0 reserved)" in text_of(stock)
    assert received["response_type"] == "in_channel"
    assert "received 5 × TEA-01 at ROM: 25 available" in text_of(received)
    assert "No product is at or below its reorder point" in text_of(low)
    assert "Product NOPE not found" in text_of(await shop.ask("stock NOPE"))


async def test_returns_and_return_actions(shop: Shop) -> None:
    _, rma = await delivered_order_with_return(shop.core)

    listed = await shop.ask("returns", VIEWER)
    approved = await shop.ask(f"return approve RMA-{rma:06d}")

    assert "*RMA-000001* requested · ORD-000001 · too small" in text_of(listed)
    assert "approved RMA-000001" in text_of(approved)
    assert approved["response_type"] == "in_channel"
    assert buttons(approved) == [("return_receive", "1:approved")]
    assert "cannot reject" in text_of(await shop.ask("return reject 1"))


async def test_customer_shows_value_and_recent_orders(shop: Shop) -> None:
    await shop.core.bus.handle(order_command())

    answer = text_of(await shop.ask("customer ADA@example.com", VIEWER))

    assert "*Ada Lovelace* · ada@example.com" in answer
    assert "1 order · lifetime value €25.00" in answer
    assert "Customer nobody@example.com not found" in text_of(
        await shop.ask("customer nobody@example.com"))


async def test_staff_roles_are_managed_by_admins_only(shop: Shop) -> None:
    refused = await shop.ask("staff <@UNEW|new> operator", OPERATOR)
    made = await shop.ask("staff <@UNEW|new> operator", ADMIN)
    used = await shop.ask("receive MUG-01 1", "UNEW")

    assert "`staff` needs the admin role; you are an operator." in text_of(refused)
    assert made["response_type"] == "in_channel"
    assert text_of(made) == "<@UADMIN> made <@UNEW> operator."
    assert "received 1 × MUG-01 at MIL" in text_of(used)
    *_, (actor, subject, details) = await shop.audit("staff.role")
    assert (actor, subject, details["role"]) == ("slack:UADMIN", "UNEW", "operator")


async def test_new_opens_a_modal_then_places_a_phone_order(shop: Shop) -> None:
    response, name = await shop.command("new bob@example.com MUG-01:3 TEA-01:1 store")
    assert response.status == 200
    [opened] = await shop.slack.wait_for("views.open")
    view = opened["view"]
    assert view["callback_id"] == "new_order"
    assert "3 × MUG-01" in view["blocks"][0]["text"]["text"]

    values = {"name": {"value": "Bob Rossi"}, "line1": {"value": "Via Po 2"},
              "city": {"value": "Torino"}, "postal_code": {"value": "10123"},
              "country": {"value": "it"}}
    bad = await shop.submit("new_order", view["private_metadata"],
                            {**values, "country": {"value": "Italy"}}, view_id="V0009")
    assert (await bad.json())["response_action"] == "errors"
    assert "country" in (await bad.json())["errors"]

    ok = await shop.submit("new_order", view["private_metadata"], values, view_id="V0009")
    assert ok.status == 200
    [placed] = await shop.slack.wait_for_response(name)
    assert placed["response_type"] == "in_channel"
    assert "<@UOPER> placed ORD-000001" in text_of(placed)
    order = await shop.order(1)
    assert (order["channel"], order["customer"]["name"], order["shipping_address"]["country"]) \
        == ("store", "Bob Rossi", "IT")
    assert [(ln["sku"], ln["quantity"]) for ln in order["lines"]] == [("MUG-01", 3),
                                                                     ("TEA-01", 1)]


async def test_a_viewer_cannot_open_the_new_order_form(shop: Shop) -> None:
    answer = await shop.ask("new bob@example.com MUG-01:1", VIEWER)

    assert "needs the operator role" in text_of(answer)
    assert shop.slack.calls_to("views.open") == []
    assert json.dumps(answer).count("new_order") == 0


async def test_top_and_picklists(shop: Shop) -> None:
    await shop.core.bus.handle(order_command("T-1", lines=(("MUG-01", 3),)))
    await shop.core.bus.handle(order_command("T-2", lines=(("MUG-01", 1), ("TEA-01", 2))))

    top = text_of(await shop.ask("top products 5", VIEWER))
    assert "1. `MUG-01` Mug: 4 units in 2 orders, revenue €50.00, profit €33.60" in top
    assert "2. `TEA-01` Tea: 2 units in 1 order, revenue €16.00, profit €16.00" in top
    batch = await shop.ask("picklist batch MIL", VIEWER)
    assert batch["response_type"] == "ephemeral"
    assert "*MIL · Batch of 2 orders* · 4 units" in text_of(batch)
    assert "4 × `MUG-01` Mug → ORD-000001, ORD-000002" in text_of(batch)
    single = text_of(await shop.ask("picklist single"))
    assert "ORD-000002 (ship by" in single and "*ROM · ORD-000002" in single
    assert "Nothing to pick in NAP." in text_of(await shop.ask("picklist wave NAP"))
