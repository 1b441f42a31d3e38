"""Customers in plain words (CONTRACT §11) through the real aiogram bot and the Bot API
double: one open order is answered about, several get one question with buttons, someone
else's order is answered like a missing one, addresses and people go to staff."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from domain.clock import FixedClock
from domain.orders import commands as oc
from tests.catalog import order_command, small_shop
from tests.e2e.telegram_rig import Rig, running_rig
from tests.e2e.test_telegram_bot import link_by_email

ADA, BOB, STRANGER = 7101, 7102, 7103


@pytest.fixture
async def rig(database_url: str, clock: FixedClock) -> AsyncIterator[Rig]:
    async with running_rig(database_url, clock, "polling") as rig:
        await small_shop(rig.core.bus)
        await rig.core.bus.handle(order_command("WEB-1"))  # ORD-000001, Ada (it)
        await rig.core.bus.handle(order_command("WEB-2", email="bob@example.com",
                                                locale="en"))  # ORD-000002, Bob
        await link_by_email(rig, ADA, "ada@example.com")
        await link_by_email(rig, BOB, "bob@example.com")
        yield rig


async def test_one_open_order_is_answered_about_in_the_writers_language(rig: Rig) -> None:
    italian = await rig.send(ADA, "dov'è il mio pacco?")
    english = await rig.send(BOB, "hi, where is my order??")

    assert "Ordine ORD-000001</b>: confermato" in italian
    assert "Order ORD-000002</b>" in english


async def test_several_orders_get_one_question_with_buttons(rig: Rig) -> None:
    await rig.core.bus.handle(order_command("WEB-3"))  # ORD-000003, Ada's second
    await rig.send(ADA, "wo ist meine Bestellung?")
    asked = rig.last(ADA)
    choices = [row[0] for row in asked["reply_markup"]["inline_keyboard"]]

    assert "Welche Bestellung meinst du?" in asked["text"]
    assert sorted(b["text"][:10] for b in choices) == ["ORD-000001", "ORD-000003"]
    tracked = await rig.press(ADA, choices[-1]["callback_data"], asked["message_id"])
    assert choices[-1]["text"][:10] in tracked["text"]


async def test_someone_elses_order_answers_like_a_missing_one(rig: Rig) -> None:
    foreign = await rig.send(BOB, "where is order 1")
    missing = await rig.send(BOB, "where is order 99")

    assert "ORD-000001" in foreign
    assert foreign.replace("ORD-000001", "N") == missing.replace("ORD-000099", "N")


async def test_a_follow_up_is_about_the_last_order(rig: Rig) -> None:
    await rig.core.bus.handle(order_command("WEB-3", email="bob@example.com", locale="en"))
    first = await rig.send(BOB, "track order 3 pls")
    again = await rig.send(BOB, "and when does it arrive")

    assert "Order ORD-000003</b>" in first and "Order ORD-000003</b>" in again


async def test_address_changes_and_people_are_handed_to_staff(rig: Rig) -> None:
    address = await rig.send(ADA, "devo cambiare l'indirizzo di consegna dell'ordine 1")
    person = await rig.send(BOB, "I want to talk to a person")
    alerts = await rig.notifications(kind="customer_request")

    assert "Ho passato la richiesta" in address and "ORD-000001" in address
    assert "passed this to our team" in person
    texts = [alert.payload["text"] for alert in alerts]
    assert any("ada@example.com" in t and "address" in t and "ORD-000001" in t for t in texts)
    assert any("bob@example.com" in t and "talk to a person" in t for t in texts)


async def test_a_return_in_plain_words_asks_for_the_reason(rig: Rig) -> None:
    await rig.core.bus.handle(oc.ShipOrder(2, "BRT", "BRT-2"))
    await rig.core.bus.handle(oc.DeliverOrder(2))
    asked = await rig.send(BOB, "the cup arrived broken, i want to send it back")

    assert "ORD-000002" in asked
    assert len(rig.last(BOB)["reply_markup"]["inline_keyboard"]) == 5  # the reasons


async def test_small_talk_language_and_the_unknown(rig: Rig) -> None:
    assert "Hallo!" in await rig.send(BOB, "hallo 👋")
    assert "Di niente" in await rig.send(ADA, "grazie mille!")
    unknown = await rig.send(ADA, "mi piacciono le tartarughe")
    assert "non ho capito" in unknown and unknown.count("\n/") >= 2
    switched = await rig.send(BOB, "can you speak italian please")
    assert switched == (await rig.send(ADA, "/language it"))
    assert "English and Italian" in await rig.send(BOB, "answer in german please")


async def test_an_unlinked_chat_is_told_how_to_link(rig: Rig) -> None:
    assert "not linked" in await rig.send(STRANGER, "where is my order")
    assert "Hello!" in await rig.send(STRANGER, "hello there")
