"""Staff plain words over the real service and database: every change intent is offered,
never done, until confirmed; confirmation runs it with the same role check as the command;
follow-ups use what the chat spoke of last, also from another process."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from bot.bootstrap import Core
from bot.slack import build_staff_service, build_staff_talk
from channels.staff_replies import StaffUser
from channels.understanding.reader import EXTRACTORS
from channels.understanding.staff_talk import FOLLOW_UP, StaffTalk
from domain.clock import FixedClock
from domain.messagebus import Actor
from domain.orders import commands as oc
from domain.returns import commands as rc
from domain.staff.model import Role
from storage import orm
from storage.conversations import SqlConversations
from tests.catalog import order_command, small_shop
from tests.helpers import stock_state, table_counts

OPERATOR = StaffUser("UOPER", Role.OPERATOR, Actor("slack:UOPER", "slack"), "<@UOPER>")
VIEWER = StaffUser("UVIEW", Role.VIEWER, Actor("slack:UVIEW", "slack"), "<@UVIEW>")
# Every change intent, in plain words, and what it must change once confirmed.
CHANGES = {
    "ship": ("order 1 went out with BRT, tracking BRT0099887766", "shipped"),
    "cancel": ("please cancel order 1, the customer changed their mind", "cancelled"),
    "hold": ("metti in sospeso l'ordine 1", "on_hold"),
    "receive": ("50 MUG-01 in Mailand erhalten", None),
    "approve_return": ("approve return RMA-000001", "approved"),
}


async def state(core: Core) -> tuple[Any, ...]:
    """Everything a change could touch (the conversation memory aside)."""
    counts = await table_counts(core)
    counts.pop("conversations")
    async with core.db.read_sessions() as s:
        orders = list(await s.execute(select(orm.orders.c.id, orm.orders.c.status)))
        returns = list(await s.execute(select(orm.returns.c.id, orm.returns.c.status)))
    return counts, orders, returns, await stock_state(core)


async def shop(core: Core) -> None:
    await small_shop(core.bus)
    await core.bus.handle(order_command("WEB-1"))  # ORD-000001, to ship, cancel, hold
    delivered = await core.bus.handle(order_command("WEB-2"))
    await core.bus.handle(oc.ShipOrder(delivered.order_id, "DHL", "T2"))
    await core.bus.handle(oc.DeliverOrder(delivered.order_id))
    await core.bus.handle(rc.RequestReturn(delivered.order_id, "too small"))  # RMA-000001


def talk_for(core: Core) -> StaffTalk:
    return build_staff_talk(core, build_staff_service(core), "slack", "/oms ")


def test_the_walk_covers_every_change_intent() -> None:
    changes = {"ship", "cancel", "hold", "receive", "approve_return"}
    assert set(CHANGES) == changes
    assert changes <= set(EXTRACTORS["staff"]) and changes - {"receive"} <= set(FOLLOW_UP)


@pytest.mark.parametrize("intent", sorted(CHANGES))
async def test_a_change_is_only_offered_until_confirmed(core: Core, intent: str) -> None:
    await shop(core)
    talk = talk_for(core)
    text, status = CHANGES[intent]
    before = await state(core)

    offered = await talk.answer(text, OPERATOR, "D1:UOPER")
    refused = await talk.answer(text, VIEWER, "D1:UVIEW")

    assert offered.confirm is not None and offered.reply.context["kind"] == "confirm"
    assert refused.confirm is None and refused.reply.template == "not_allowed"
    assert await state(core) == before  # nothing happened without a confirmation
    print(f"{intent}: {text!r} → {offered.confirm!r}")

    not_allowed = await talk.confirmed(offered.confirm, VIEWER)
    assert not_allowed.template == "not_allowed" and await state(core) == before
    done = await talk.confirmed(offered.confirm, OPERATOR)
    assert done.public and await state(core) != before
    if intent == "receive":
        assert ("MUG-01", "MIL", 148, 2) in await stock_state(core)  # 100 - 2 shipped + 50
    elif intent == "approve_return":
        assert (await core.views.return_(1) or {})["status"] == status
    else:
        assert (await core.views.order(1) or {})["status"] == status


async def test_follow_ups_refer_to_the_last_order_and_product_in_any_process(
        core: Core, clock: FixedClock) -> None:
    await shop(core)
    first, second = talk_for(core), talk_for(core)  # as two processes would
    await first.answer("what's the status of order 1", OPERATOR, "D1:UOPER")
    cancel = await second.answer("cancel it", OPERATOR, "D1:UOPER")
    stock = await first.answer("how many MUG-01 in Milano?", OPERATOR, "D1:UOPER")
    rome = await second.answer("und in Rom?", OPERATOR, "D1:UOPER")
    elsewhere = await second.answer("cancel it", OPERATOR, "D2:UOPER")

    assert cancel.confirm == "cancel 1"
    assert [lv["warehouse"] for lv in stock.reply.context["levels"]] == ["MIL"]
    assert rome.reply.context["sku"] == "MUG-01" and rome.reply.context["warehouse"] == "ROM"
    assert elsewhere.confirm is None and elsewhere.reply.context == {"kind": "missing",
                                                                     "what": "order"}
    clock.advance(minutes=16)
    forgotten = await first.answer("cancel it", OPERATOR, "D1:UOPER")
    assert forgotten.confirm is None


async def test_the_memory_merges_and_expires(core: Core, clock: FixedClock) -> None:
    memory = SqlConversations(core.db, core.clock)
    await memory.remember("slack", "D1", {"order": 5, "sku": "MUG-01"})
    await memory.remember("slack", "D1", {"order": 6, "sku": None})
    await memory.remember("telegram", "D1", {"order": 7})

    assert await memory.recall("slack", "D1") == {"order": 6}
    assert await memory.recall("telegram", "D1") == {"order": 7}
    clock.advance(minutes=16)
    assert await memory.recall("slack", "D1") == {}
    await memory.remember("slack", "D2", {"order": 1})  # drops the expired rows
    assert (await table_counts(core))["conversations"] == 1


async def test_questions_are_answered_at_once(core: Core) -> None:
    await shop(core)
    talk = talk_for(core)

    order = await talk.answer("stato ordine 1", VIEWER, "D3:UVIEW")
    top = await talk.answer("top 5 customers", VIEWER, "D3:UVIEW")
    unknown = await talk.answer("book me a flight to paris", VIEWER, "D3:UVIEW")

    assert order.reply.template == "order" and order.confirm is None
    assert top.reply.template == "top_customers"
    assert unknown.reply.context["kind"] == "unknown"
    assert 2 <= len(unknown.reply.context["suggestions"]) <= 3


async def test_an_answer_to_the_question_asked_continues_the_request(core: Core) -> None:
    await shop(core)
    talk = talk_for(core)

    asked = await talk.answer("please hold the order", OPERATOR, "D4:UOPER")
    answered = await talk.answer("1", OPERATOR, "D4:UOPER")
    carrier = await talk.answer("spedisci l'ordine 1", OPERATOR, "D4:UOPER")
    both = await talk.answer("con BRT, tracking BRT0099887766", OPERATOR, "D4:UOPER")

    assert asked.reply.context == {"kind": "missing", "what": "order"}
    assert answered.confirm == "hold 1"
    assert carrier.reply.context == {"kind": "missing", "what": "carrier"}
    assert carrier.language == "it"
    assert both.confirm == "ship 1 BRT BRT0099887766"


async def test_a_command_shown_is_what_follow_ups_refer_to(core: Core) -> None:
    await shop(core)
    talk = talk_for(core)
    await talk.answer("where is order 2", OPERATOR, "D5:UOPER")
    await talk.command_typed("D5:UOPER", "/oms order 1")  # typed, not through plain words
    cancel = await talk.answer("cancel it", OPERATOR, "D5:UOPER")
    await talk.command_typed("D5:UOPER", "stock tea-01")
    rome = await talk.answer("and in Roma?", OPERATOR, "D5:UOPER")
    await talk.command_typed("D5:UOPER", "order nosuch words")  # not a command: no subject
    again = await talk.answer("hold it", OPERATOR, "D5:UOPER")

    assert cancel.confirm == "cancel 1"
    assert rome.reply.context["sku"] == "TEA-01" and rome.reply.context["warehouse"] == "ROM"
    assert again.confirm == "hold 1"


# Plain words → the reply's template and what it is about (tester F12, F13, F16).
READINGS = [
    *((text, "top_customers", {}) for text in (
        "who were our best customers this month?", "chi sono i migliori clienti?",
        "wer waren diesen Monat unsere besten Kunden?", "top 5 customers", "best customers")),
    *((text, "top", {}) for text in ("best sellers", "i prodotti più venduti",
                                     "meistverkaufte Artikel", "top 5 products")),
    ("hw mny MUG01 in milan", "stock", {"sku": "MUG-01", "warehouse": "MIL"}),
    ("how many mug01 in mailand", "stock", {"sku": "MUG-01", "warehouse": "MIL"}),
    *((text, "forecast", {}) for text in (
        "when will MUG-01 run out?", "quando finisce MUG-01", "wann ist MUG-01 ausverkauft",
        "forecast mug-01")),
]


@pytest.mark.parametrize(("text", "template", "about"), READINGS)
async def test_plain_words_read_as(core: Core, text: str, template: str,
                                   about: dict[str, str]) -> None:
    await shop(core)

    reply = (await talk_for(core).answer(text, VIEWER, "D6:UVIEW")).reply

    assert reply.template == template, text
    assert {key: reply.context[key] for key in about} == about
    if template == "forecast":
        assert reply.context["forecast"].sku == "MUG-01"


async def test_a_short_tracking_number_is_taken_named_or_as_the_answer(core: Core) -> None:
    await shop(core)
    talk = talk_for(core)

    named = await talk.answer("ship 1 with BRT tracking 1Z999", OPERATOR, "D7:UOPER")
    asked = await talk.answer("ship order 1 with BRT", OPERATOR, "D8:UOPER")
    assert asked.reply.context == {"kind": "missing", "what": "tracking"}
    answered = await talk.answer("1z999", OPERATOR, "D8:UOPER")

    assert named.confirm == answered.confirm == "ship 1 BRT 1Z999"


async def test_our_words_follow_the_message_else_the_question_else_the_staff_locale(
        core: Core) -> None:
    await shop(core)
    talk = talk_for(core)  # staff locale: English

    german = await talk.answer("bitte die Bestellung anhalten", OPERATOR, "D11:UOPER")
    answer = await talk.answer("1", OPERATOR, "D11:UOPER")  # answers the German question
    unclear = await talk.answer("asdfgh", OPERATOR, "D11:UOPER")  # no question open now

    assert german.language == "de" and german.reply.context["kind"] == "missing"
    assert answer.language == "de" and answer.confirm == "hold 1"
    assert unclear.language == "en" and unclear.reply.context["kind"] == "unknown"
