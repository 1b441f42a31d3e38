"""Customers in Telegram (CONTRACT §6): the real aiogram bot against the Bot API double,
by long polling and by webhook, on SQLite and PostgreSQL."""

from __future__ import annotations

import html
from collections.abc import AsyncIterator

import pytest

from bot.telegram import telegram_link_provider
from domain.clock import FixedClock
from domain.orders import commands as oc
from tests.catalog import order_command, small_shop
from tests.e2e.telegram_rig import Rig, running_rig

ADA, BOB = 7001, 7002  # chats


@pytest.fixture(params=["polling", "webhook"])
async def rig(request: pytest.FixtureRequest, database_url: str, clock: FixedClock
              ) -> AsyncIterator[Rig]:
    async with running_rig(database_url, clock, request.param) as rig:
        await small_shop(rig.core.bus)
        await rig.core.bus.handle(order_command("WEB-1"))  # ORD-000001, Ada (it)
        await rig.core.bus.handle(order_command("WEB-2", email="bob@example.com",
                                                locale="en"))  # ORD-000002, Bob
        yield rig


async def link_by_email(rig: Rig, chat: int, email: str) -> str:
    await rig.send(chat, f"/link {email}")
    code = (await rig.notifications(kind="link_code", recipient=email))[-1].payload["code"]
    return await rig.send(chat, f"/code {code}")


async def test_start_welcomes_in_the_chats_language(rig: Rig) -> None:
    assert "Welcome" in await rig.send(ADA, "/start")
    assert "Ciao" in await rig.send(BOB, "/start", language="it")


async def test_link_by_email_code_then_orders_and_track_in_italian(rig: Rig) -> None:
    sent = await rig.send(ADA, "/link ada@example.com")
    assert "6-digit code" in sent

    linked = await link_by_email(rig, ADA, "ada@example.com")
    orders = await rig.send(ADA, "/orders")
    [[button]] = rig.last(ADA)["reply_markup"]["inline_keyboard"]
    track = await rig.send(ADA, "/track 1")

    assert "Fatto!" in linked  # Ada's profile is Italian
    assert "ORD-000001" in orders and "ORD-000002" not in orders
    assert button["text"] == "📦 Traccia ORD-000001"
    assert "Ordine ORD-000001</b>: confermato" in track
    assert "Mug" in track and "25,00" in track


async def test_unknown_email_gets_the_same_answer_and_no_mail(rig: Rig) -> None:
    known = await rig.send(BOB, "/link ada@example.com")
    unknown = await rig.send(BOB, "/link nobody@example.com")

    assert known.replace("ada@", "X@") == unknown.replace("nobody@", "X@")
    assert len(await rig.notifications(kind="link_code")) == 1


async def test_deep_link_from_an_email(rig: Rig) -> None:
    link = await telegram_link_provider(rig.core)("bob@example.com")  # asks getMe
    assert link is not None and link.startswith("https://t.me/omsbot_test_bot?start=")
    code = link.partition("start=")[2]

    linked = await rig.send(BOB, f"/start {code}")
    reused = await rig.send(ADA, f"/start {code}")

    assert "Done! This chat is now linked to <b>Ada Lovelace</b>" in linked
    assert "expired" in reused
    assert "ORD-000002" in await rig.send(BOB, "/track ORD-000002")
    assert await telegram_link_provider(rig.core, "x_bot")("bob@example.com") is None  # linked


async def test_someone_elses_order_answers_like_a_missing_one(rig: Rig) -> None:
    await link_by_email(rig, BOB, "bob@example.com")

    foreign = await rig.send(BOB, "/track 1")
    missing = await rig.send(BOB, "/track 9")
    foreign_return = await rig.send(BOB, "/return 1")

    assert foreign == missing.replace("<b>9</b>", "<b>1</b>")
    assert foreign_return == foreign
    assert "can't find order" in foreign


async def test_commands_need_a_linked_chat(rig: Rig) -> None:
    for command in ("/orders", "/track 1", "/return 1", "/language it"):
        assert "not linked" in await rig.send(BOB, command)


async def test_a_wrong_code_five_times_burns_it(rig: Rig) -> None:
    await rig.send(BOB, "/link bob@example.com")
    code = (await rig.notifications(kind="link_code"))[0].payload["code"]
    wrong = "000000" if code != "000000" else "111111"

    answers = [await rig.send(BOB, f"/code {wrong}") for _ in range(5)]
    late = await rig.send(BOB, f"/code {code}")

    assert "4 attempts left" in answers[0] and "1 attempt left" in answers[3]
    assert "No attempts left" in answers[4] and "No attempts left" in late
    assert "not linked" in await rig.send(BOB, "/orders")


async def test_return_with_reason_buttons_alerts_staff(rig: Rig) -> None:
    await link_by_email(rig, BOB, "bob@example.com")
    refused = await rig.send(BOB, "/return 2")
    await rig.core.bus.handle(oc.ShipOrder(2, "BRT", "BRT-2"))
    await rig.core.bus.handle(oc.DeliverOrder(2))

    ask = await rig.send(BOB, "/return ORD-000002")
    asked = rig.last(BOB)
    buttons = [row[0] for row in asked["reply_markup"]["inline_keyboard"]]
    opened = await rig.press(BOB, buttons[0]["callback_data"], asked["message_id"])
    again = await rig.press(BOB, buttons[1]["callback_data"], asked["message_id"])

    assert "has not been delivered yet" in refused
    assert "Why do you want to return order <b>ORD-000002</b>" in ask
    assert buttons[0]["text"] == "Damaged or faulty"
    assert "Return <b>RMA-" in opened["text"]
    assert "already an open return" in again["text"]
    [alert] = await rig.notifications(kind="return_requested")
    assert (alert.channel, alert.payload["reason"]) == ("slack", "Damaged or faulty")


async def test_return_window_closes(rig: Rig, clock: FixedClock) -> None:
    await link_by_email(rig, BOB, "bob@example.com")
    await rig.core.bus.handle(oc.ShipOrder(2, "BRT", "BRT-2"))
    await rig.core.bus.handle(oc.DeliverOrder(2))
    clock.advance(days=31)

    assert "return period" in await rig.send(BOB, "/return 2")


async def test_orders_buttons_track_and_language_and_help(rig: Rig) -> None:
    await link_by_email(rig, BOB, "bob@example.com")
    await rig.send(BOB, "/orders")
    listed = rig.last(BOB)
    [[track_button]] = listed["reply_markup"]["inline_keyboard"]

    tracked = await rig.press(BOB, track_button["callback_data"], listed["message_id"])
    switched = await rig.send(BOB, "/language it")
    helped = await rig.send(BOB, "/help")
    chatter = await rig.send(BOB, "hello?")

    assert "Order ORD-000002</b>: confirmed" in tracked["text"]
    assert "Promised delivery" in tracked["text"]
    assert switched == "🌐 Lingua impostata: italiano."
    assert "Ecco cosa posso fare" in helped
    assert chatter.startswith("👋 Hello!")  # plain words (§11), answered in their language


async def test_a_forged_button_for_someone_elses_order_is_not_found(rig: Rig) -> None:
    await link_by_email(rig, BOB, "bob@example.com")

    reply = await rig.press(BOB, "ord:track:1", message_id=1)

    assert "can't find order <b>ORD-000001</b>" in reply["text"]



async def test_bad_input_gets_a_helpful_answer_not_a_trace(rig: Rig) -> None:
    await link_by_email(rig, BOB, "bob@example.com")

    assert "can't find order <b>abc</b>" in await rig.send(BOB, "/track abc")
    assert "What I can do" in await rig.send(BOB, "/track")
    assert "What I can do" in await rig.send(BOB, "/language fr")
    assert "not linked" in await rig.send(ADA, "/link")


async def test_a_domain_refusal_is_said_in_the_customers_language(rig: Rig) -> None:
    english = html.unescape(await rig.send(ADA, "/link not-an-address"))
    german = html.unescape(await rig.send(BOB, "/link keine-adresse", language="de"))

    assert english == ("😕 'not-an-address' is not a valid e-mail address\n"
                       "/help lists everything I can do.")
    assert german.startswith("😕 'keine-adresse' ist keine gültige E-Mail-Adresse\n")
    assert "Something went wrong" not in english and "schiefgelaufen" not in german


async def test_the_window_closing_under_the_buttons_says_why_in_italian(
        rig: Rig, clock: FixedClock) -> None:
    await link_by_email(rig, ADA, "ada@example.com")  # Ada's profile is Italian
    await rig.core.bus.handle(oc.ShipOrder(1, "BRT", "BRT-1"))
    await rig.core.bus.handle(oc.DeliverOrder(1))
    await rig.send(ADA, "/return 1")
    asked = rig.last(ADA)
    clock.advance(days=31)  # the window closes while the reason buttons are on screen

    reply = await rig.press(ADA, asked["reply_markup"]["inline_keyboard"][0][0]["callback_data"],
                            asked["message_id"])

    assert html.unescape(reply["text"]) == (
        "😕 L'ordine ORD-000001 è oltre il termine di reso di 30 giorni")
    assert await rig.notifications(kind="return_requested") == []


async def test_our_own_fault_answers_the_generic_words_and_leaks_nothing(
        rig: Rig, monkeypatch: pytest.MonkeyPatch) -> None:
    await link_by_email(rig, BOB, "bob@example.com")

    async def broken(**_: object) -> None:
        raise RuntimeError("connection to db-internal-7 refused")

    monkeypatch.setattr(rig.core.views, "orders", broken)
    reply = await rig.send(BOB, "/orders")

    assert reply == "😕 Something went wrong on our side. Please try again in a moment."
