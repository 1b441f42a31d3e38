"""Telegram as customers really use it (CONTRACT §6): groups, long orders, stale buttons,
`/return N reason words`; the real aiogram bot against a double as strict as Telegram."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from decimal import Decimal

import pytest

from domain.clock import FixedClock
from domain.inventory import commands as ic
from domain.orders import commands as oc
from tests.catalog import order_command, small_shop
from tests.doubles.telegram_html import EntityError, parse_html
from tests.e2e.telegram_rig import Rig, running_rig

BOB = 7002
GROUP = -100500
LONG_NAME = "Hand-thrown stoneware espresso cup with saucer, glazed in seaside blue, size"


@pytest.fixture(params=["polling", "webhook"])
async def rig(request: pytest.FixtureRequest, database_url: str, clock: FixedClock
              ) -> AsyncIterator[Rig]:
    async with running_rig(database_url, clock, request.param) as rig:
        await small_shop(rig.core.bus)
        await rig.core.bus.handle(order_command("WEB-1"))  # ORD-000001, Ada
        await rig.core.bus.handle(order_command("WEB-2", email="bob@example.com",
                                                locale="en"))  # ORD-000002, Bob
        await rig.send(BOB, "/link bob@example.com")
        code = (await rig.notifications(kind="link_code"))[-1].payload["code"]
        await rig.send(BOB, f"/code {code}")
        yield rig


async def quiet(rig: Rig, chat: int, update: dict[str, object]) -> None:
    """Deliver `update` and let the bot handle it (and a later probe be answered)."""
    await rig.deliver(update)
    await asyncio.sleep(0.2)


async def test_in_a_group_only_commands_addressed_to_the_bot_are_answered(rig: Rig) -> None:
    api = rig.api
    for text in ("hello everyone", "/help", "/start@OtherBot", "/track@other_bot 2"):
        await quiet(rig, GROUP, api.make_message_update(GROUP, text, user_id=BOB))
    await quiet(rig, GROUP, api.make_join_update(GROUP, user_id=9001))
    assert api.sent_messages(GROUP) == []

    helped = await rig.send(GROUP, "/help@OMSBOT_test_bot")
    tracked = await rig.send(GROUP, "/track@omsbot_test_bot 2")

    assert "What I can do" in helped
    assert "not linked" in tracked  # the group is not a customer's chat
    assert len(api.sent_messages(GROUP)) == 2


async def test_private_chatter_is_answered(rig: Rig) -> None:
    assert "Hello!" in await rig.send(BOB, "hello?")  # plain words, answered in private


async def long_order(rig: Rig, lines: int, name: str = f"{LONG_NAME} {{i}} & <b>") -> None:
    for i in range(lines):
        sku = f"CUP-{i:02d}"
        await rig.core.bus.handle(ic.UpsertProduct(sku, name.format(i=i), Decimal("9.00"),
                                                   "EUR"))
        await rig.core.bus.handle(ic.ReceiveStock(sku, "MIL", 5))
    await rig.core.bus.handle(order_command(
        "WEB-3", email="bob@example.com", locale="en",
        lines=[(f"CUP-{i:02d}", 1) for i in range(lines)]))


async def test_a_sixty_line_order_is_summarised_within_telegrams_limit(rig: Rig) -> None:
    await long_order(rig, 60)

    await rig.send(BOB, "/track 3")
    sent = rig.last(BOB)
    await rig.send(BOB, "/orders")
    listed = rig.last(BOB)
    [track_button] = [row[0] for row in listed["reply_markup"]["inline_keyboard"]
                      if "ORD-000003" in row[0]["text"]]
    pressed = await rig.press(BOB, track_button["callback_data"], listed["message_id"])

    shown = sent["shown"]
    assert len(shown) <= 4096 and len(parse_html(sent["text"])) == len(shown)
    assert "Order ORD-000003: confirmed" in shown
    listed_lines = shown.count("• 1 ×")
    assert 30 < listed_lines < 60
    assert f"and {60 - listed_lines} more items" in shown
    assert "Total: €" in shown and "&lt;b&gt;" in sent["text"]
    assert pressed["shown"] == shown


# 30 astral characters (2 UTF-16 units each) and 8 BMP ones: 68 units but 38 code points a line
EMOJI_NAME = "☕ Tazza 😀🚚🎁🧡 {i} " + "𝔸𝔹🍵" * 8 + " ✓"


async def test_an_order_full_of_emoji_fits_in_utf16_code_units(rig: Rig) -> None:
    await long_order(rig, 60, EMOJI_NAME)

    await rig.send(BOB, "/track 3")
    sent = rig.last(BOB)

    shown = sent["shown"]
    units = len(shown.encode("utf-16-le")) // 2
    assert 4096 - 100 < units <= 4096  # filled to within one line, counted in UTF-16 units
    assert len(shown) < 3000  # in code points it looks far shorter: they are not the measure
    listed_lines = shown.count("• 1 ×")
    assert 20 < listed_lines < 60
    assert f"and {60 - listed_lines} more items" in shown
    assert "😀🚚" in shown and "Total: €" in shown


async def test_every_button_press_is_answered_even_stale_or_unreadable(rig: Rig) -> None:
    await rig.send(BOB, "/orders")
    listed = rig.last(BOB)
    [[track_button]] = listed["reply_markup"]["inline_keyboard"]

    await rig.press(BOB, track_button["callback_data"], listed["message_id"])
    for data in ("garbage", "ord:track:not-a-number", "ret:2", "ord:fly:2", ""):
        await quiet(rig, BOB, rig.api.make_callback_update(BOB, data, message_id=1))
    answers = await rig.api.wait_for_call("answerCallbackQuery", 6)

    assert rig.api.unanswered_callbacks() == set()
    assert any("expired" in str(a.get("text", "")) for a in answers)


async def test_a_failing_button_is_answered_and_explained(rig: Rig) -> None:
    reply = await rig.press(BOB, "ord:return:2", message_id=1)  # not delivered yet

    assert "has not been delivered yet" in reply["text"]
    assert rig.api.unanswered_callbacks() == set()


async def test_return_takes_the_reason_from_the_words(rig: Rig) -> None:
    await rig.core.bus.handle(oc.ShipOrder(2, "BRT", "BRT-2"))
    await rig.core.bus.handle(oc.DeliverOrder(2))

    opened = await rig.send(BOB, "/return 2 the   handle is cracked")

    assert "Return <b>RMA-" in opened
    [alert] = await rig.notifications(kind="return_requested")
    assert alert.payload["reason"] == "the handle is cracked"


async def test_the_double_refuses_what_telegram_refuses(rig: Rig) -> None:
    from aiogram.exceptions import TelegramBadRequest

    from channels.telegram.app import build_bot

    bot = build_bot("42:TEST-TOKEN", await rig.api.start())
    try:
        with pytest.raises(TelegramBadRequest, match="message is too long"):
            await bot.send_message(BOB, "x" * 4097)
        await bot.send_message(BOB, "<b>" + "x" * 4096 + "</b>")  # tags do not count
        await bot.send_message(BOB, "&amp;" * 4096)  # an entity is one character
        await bot.send_message(BOB, "😀" * 2048)  # 4,096 UTF-16 code units
        with pytest.raises(TelegramBadRequest, match="message is too long"):
            await bot.send_message(BOB, "😀" * 2048 + "x")  # 2,049 characters, 4,097 units
        for bad in ("<b>open", "<blink>x</blink>", "<b>x</i>", "a < b", "</b>"):
            with pytest.raises(TelegramBadRequest, match="can't parse entities"):
                await bot.send_message(BOB, bad)
    finally:
        await bot.session.close()
    with pytest.raises(EntityError):
        parse_html('<span class="x">y</span>')
    assert parse_html("a &lt; b &amp; c > d &nbsp;") == "a < b & c > d &nbsp;"


async def test_a_german_chat_reads_german_text_dates_and_money(rig: Rig) -> None:
    switched = await rig.send(BOB, "/language de")
    tracked = await rig.send(BOB, "/track 2")
    helped = await rig.send(BOB, "/help")

    assert switched == "🌐 Sprache auf Deutsch umgestellt."
    assert "<b>Bestellung ORD-000002</b>: bestätigt" in tracked
    assert "Gesamt: 25,00\u00a0€" in tracked
    assert "Zugesagte Zustellung: " in tracked and ".2026" in tracked  # 01.12.2026, not 12/1/26
    assert "Das kann ich für Sie tun" in helped and "/language de|en|it" in helped
