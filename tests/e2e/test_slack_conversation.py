"""Staff in plain words through the real bolt app: signed `message.im` and `app_mention`
events in, answers out through the Slack double; changes wait for the Confirm button."""

from __future__ import annotations

import itertools
import json
from decimal import Decimal

from domain.inventory import commands as ic
from tests.catalog import order_command
from tests.doubles.slack_signing import block_action_body, event_body, sign
from tests.e2e.slack_harness import (
    OPERATOR,
    SECRET,
    STRANGER,
    VIEWER,
    Shop,
    buttons,
    shop,
    text_of,
)

__all__ = ["shop"]
_events = itertools.count(1)


async def say(shop: Shop, text: str, user: str = OPERATOR, *, kind: str = "message",
              channel: str = "D0001") -> dict[str, object]:
    """Send one event; return the message the app posted in answer."""
    before = len(shop.slack.messages())
    n = next(_events)
    body = event_body(kind, text, user, event_id=f"Ev{n:04d}", channel_id=channel,
                      ts=f"17000000{n:02d}.000100")
    response = await shop.http.post("/slack/events", data=body, headers=sign(
        body, SECRET, content_type="application/json"))
    assert response.status == 200, await response.text()
    [posted] = (await shop.slack.wait_for("chat.postMessage", before + 1))[before:]
    return posted


async def test_a_direct_message_asks_for_stock_and_a_follow_up_names_only_the_warehouse(
        shop: Shop) -> None:
    answer = await say(shop, "how many MUG-01 in Milano?")
    assert "Stock of MUG-01" in text_of(answer) and "MIL" in text_of(answer)
    assert "ROM" not in text_of(answer)
    follow_up = await say(shop, "e a Roma?")
    assert "Stock of MUG-01" in text_of(follow_up) and "MIL" not in text_of(follow_up)


async def test_a_change_waits_for_confirm_and_runs_only_then(shop: Shop) -> None:
    placed = await shop.core.bus.handle(order_command("WEB-TALK"))
    answer = await say(shop, f"please put order {placed.order_id} on hold")
    assert "confirm" in text_of(answer).lower()
    assert (await shop.order(placed.order_id))["status"] != "on_hold"
    [(confirm, command), (cancel, _)] = buttons(answer)
    assert (confirm, cancel) == ("talk_confirm", "talk_cancel")
    assert command == f"hold {placed.order_id}"

    await shop.click("talk_cancel", "cancel", name="no")
    [cancelled] = await shop.slack.wait_for_response("no")
    assert "nothing was changed" in cancelled["text"]
    assert (await shop.order(placed.order_id))["status"] != "on_hold"

    await shop.click("talk_confirm", command, name="yes")
    [done] = await shop.slack.wait_for_response("yes")
    assert (await shop.order(placed.order_id))["status"] == "on_hold"
    assert "put on hold" in done["text"]


async def test_a_viewer_is_refused_a_change_and_nothing_is_offered(shop: Shop) -> None:
    answer = await say(shop, "cancel order 1", user=VIEWER)
    assert buttons(answer) == []
    assert "operator" in text_of(answer)


async def test_a_mention_in_a_channel_is_answered_in_its_thread(shop: Shop) -> None:
    answer = await say(shop, "<@UBOT> was wird knapp", kind="app_mention", channel="C0001")
    assert answer["channel"] == "C0001" and answer.get("thread_ts")
    assert "No product is at or below its reorder point." in text_of(answer)


async def test_not_understood_says_so_in_the_writers_language_with_commands(
        shop: Shop) -> None:
    answer = await say(shop, "prenotami un volo per parigi")
    assert "non ho capito" in text_of(answer)
    assert text_of(answer).count("• `") >= 2


async def test_a_stranger_gets_no_answer(shop: Shop) -> None:
    n = next(_events)
    body = event_body("message", "cancel order 1", STRANGER, event_id=f"Ev{n:04d}")
    response = await shop.http.post("/slack/events", data=body, headers=sign(
        body, SECRET, content_type="application/json"))
    assert response.status == 200
    await shop.settle()
    assert shop.slack.messages() == []
    assert json.dumps(shop.slack.calls_to("chat.postMessage")) == "[]"


async def test_the_report_in_plain_words_comes_with_its_chart(shop: Shop) -> None:
    answer = await say(shop, "wie lief diese Woche?", channel="D0002")
    [complete] = await shop.slack.wait_for("files.completeUploadExternal", 1, timeout=30)

    assert text_of(answer).startswith("*Last 7 days, 18 Nov – 24 Nov 2026 (UTC)*")
    assert complete["channel_id"] == "D0002"


async def press(shop: Shop, action_id: str, value: str, user: str, name: str,
                channel: str) -> dict[str, object]:
    """A signed block_actions press in `channel`; the answer sent to its response_url."""
    body = block_action_body(action_id, value, user, channel_id=channel,
                             response_url=shop.slack.response_url(name),
                             trigger_id=f"{next(_events)}.trigger")
    response = await shop.post(body)
    assert response.status == 200, await response.text()
    [answer] = await shop.slack.wait_for_response(name)
    return answer


async def test_a_question_with_options_has_buttons_and_a_press_answers_it(shop: Shop) -> None:
    for sku, name in (("POT-01", "Moka pot, 3 cups"), ("POT-02", "Moka pot, 6 cups")):
        await shop.core.bus.handle(ic.UpsertProduct(sku, name, Decimal("29.00"), "EUR"))
    asked = await say(shop, "how many moka pots do we have?", channel="D0003")
    assert "Which product?" in text_of(asked)
    assert buttons(asked) == [("talk_choice_1", "POT-01"), ("talk_choice_2", "POT-02")]

    other = await press(shop, "talk_choice_1", "POT-01", VIEWER, "other", "D0003")
    picked = await press(shop, "talk_choice_2", "POT-02", OPERATOR, "pick", "D0003")
    again = await press(shop, "talk_choice_2", "POT-02", OPERATOR, "again", "D0003")

    assert other["response_type"] == "ephemeral" and "question is closed" in text_of(other)
    assert other["replace_original"] is False  # the asker's question stays as it was
    assert picked["replace_original"] is True and "Stock of POT-02" in text_of(picked)
    assert "question is closed" in text_of(again)


async def test_an_option_leading_to_a_change_keeps_the_role_checks(shop: Shop) -> None:
    for sku, name in (("POT-01", "Moka pot, 3 cups"), ("POT-02", "Moka pot, 6 cups")):
        await shop.core.bus.handle(ic.UpsertProduct(sku, name, Decimal("29.00"), "EUR"))
    received = await shop.audit("stock.receive")
    viewer = await say(shop, "we received 5 moka pots", user=VIEWER, channel="D0004")
    refused = await press(shop, "talk_choice_1", "POT-01", VIEWER, "viewer", "D0004")
    operator = await say(shop, "we received 5 moka pots", channel="D0005")
    offered = await press(shop, "talk_choice_1", "POT-01", OPERATOR, "operator", "D0005")

    assert [value for _, value in buttons(viewer)] == ["POT-01", "POT-02"]
    assert "operator" in text_of(refused) and buttons(refused) == []
    assert [value for _, value in buttons(operator)] == ["POT-01", "POT-02"]
    assert buttons(offered) == [("talk_confirm", "receive POT-01 5"),
                                ("talk_cancel", "cancel")]
    assert await shop.audit("stock.receive") == received  # nothing without Confirm


async def test_a_command_written_wrong_gets_its_usage_line_in_a_message_and_in_oms(
        shop: Shop) -> None:
    in_dm = await say(shop, "receive MUG-01 1.9 MIL", channel="D0006")
    in_oms = await shop.ask("recieve MUG-01 1.9 MIL")

    assert "`1.9` is not a quantity" in text_of(in_dm)
    assert "/oms receive SKU QTY [WAREHOUSE]" in text_of(in_dm) and buttons(in_dm) == []
    assert "Unknown command `recieve`; did you mean `receive`?" in text_of(in_oms)
    assert "/oms receive SKU QTY [WAREHOUSE]" in text_of(in_oms)
