"""Staff plain words, the edges: a command written wrong gets its usage line (not plain
words); an open question takes only an answer that fits it, closes after two minutes and
never reaches another chat or console session; options are offered when a name fits two
products, and choosing one keeps the role checks."""

from __future__ import annotations

from decimal import Decimal

import pytest

from bot.bootstrap import Core
from channels.understanding.questions import OPEN_FOR
from domain.clock import FixedClock
from domain.inventory import commands as ic
from tests.integration.test_staff_talk import OPERATOR, VIEWER, shop, state, talk_for

MISTYPED = [  # a command written wrong → the grammar's complaint and its usage line
    ("receive MUG-01 1.9 MIL", "`1.9` is not a quantity", "/oms receive SKU QTY [WAREHOUSE]"),
    ("fx USD abc", "`abc` is not a rate", "/oms fx [CURRENCY RATE]"),
    ("orders bogus", "`bogus` is not an order status", "/oms orders [STATUS]"),
    ("ship 12 foo", "`ship` needs a tracking number.", "/oms ship N [CARRIER TRACKING]"),
    ("recieve MUG-01 lots", "did you mean `receive`?", "/oms receive SKU QTY [WAREHOUSE]"),
]


@pytest.mark.parametrize(("text", "message", "usage"), MISTYPED)
async def test_a_command_written_wrong_gets_its_usage_line(
        core: Core, text: str, message: str, usage: str) -> None:
    await shop(core)
    talk = talk_for(core)
    before = await state(core)
    answer = await talk.answer(text, OPERATOR, "D5:UOPER")
    assert answer.reply.template == "usage" and answer.confirm is None
    assert message in str(answer.reply.context["message"])  # a Text: said in the staff locale
    assert str(answer.reply.context["usage"]).startswith(usage)
    assert await state(core) == before


async def test_a_question_takes_only_an_answer_that_fits(core: Core) -> None:
    await shop(core)
    talk = talk_for(core)

    asked = await talk.answer("please hold the order", OPERATOR, "D6:UOPER")
    other = await talk.answer("how many MUG-01 in Milano?", OPERATOR, "D6:UOPER")
    late = await talk.answer("1", OPERATOR, "D6:UOPER")  # the question was dropped
    await talk.answer("please hold the order", OPERATOR, "D61:UOPER")
    chatter = await talk.answer("book me a flight to paris", OPERATOR, "D61:UOPER")
    after_chatter = await talk.answer("1", OPERATOR, "D61:UOPER")
    await talk.answer("please hold the order", OPERATOR, "D62:UOPER")
    command = await talk.answer("orders bogus", OPERATOR, "D62:UOPER")
    after_command = await talk.answer("1", OPERATOR, "D62:UOPER")
    await talk.answer("please hold the order", OPERATOR, "D63:UOPER")
    fits = await talk.answer("ORD-000001", OPERATOR, "D63:UOPER")

    assert asked.reply.context == {"kind": "missing", "what": "order"}
    assert other.reply.template == "stock"
    assert chatter.reply.context["kind"] == "unknown"
    assert command.reply.template == "usage"
    for answer in (late, after_chatter, after_command):  # "1" alone: order 1, not hold 1
        assert answer.confirm is None and answer.reply.template == "order"
    assert fits.confirm == "hold 1"


async def test_a_question_closes_after_two_minutes_and_stays_in_its_chat(
        core: Core, clock: FixedClock) -> None:
    await shop(core)
    talk = talk_for(core)

    await talk.answer("please hold the order", OPERATOR, "D7:UOPER")
    elsewhere = await talk.answer("1", OPERATOR, "D8:UOPER")
    in_time = await talk.answer("1", OPERATOR, "D7:UOPER")
    await talk.answer("please hold the order", OPERATOR, "D7:UOPER")
    clock.advance(seconds=OPEN_FOR.total_seconds() + 1)
    too_late = await talk.answer("1", OPERATOR, "D7:UOPER")

    assert elsewhere.confirm is None
    assert in_time.confirm == "hold 1"
    assert too_late.confirm is None


async def moka_pots(core: Core) -> None:
    await shop(core)
    for sku, name in (("POT-01", "Moka pot, 3 cups"), ("POT-02", "Moka pot, 6 cups")):
        await core.bus.handle(ic.UpsertProduct(sku, name, Decimal("29.00"), "EUR"))


async def test_a_name_that_fits_two_products_offers_both(core: Core) -> None:
    await moka_pots(core)
    talk = talk_for(core)

    asked = await talk.answer("how many moka pots do we have?", OPERATOR, "D9:UOPER")
    chosen = await talk.answer("2", OPERATOR, "D9:UOPER")
    by_button = await talk.answer("how many moka pots do we have?", OPERATOR, "D91:UOPER")
    pressed = await talk.answer("POT-01", OPERATOR, "D91:UOPER", chosen=True)
    stale = await talk.answer("POT-01", OPERATOR, "D91:UOPER", chosen=True)

    assert asked.reply.context["what"] == "sku"
    assert [o.value for o in asked.options] == ["POT-01", "POT-02"]
    assert asked.options[1].label == "POT-02 · Moka pot, 6 cups"
    assert chosen.reply.template == "stock" and chosen.reply.context["sku"] == "POT-02"
    assert by_button.options and pressed.reply.context["sku"] == "POT-01"
    assert stale.reply.context == {"kind": "expired"}


async def test_choosing_an_option_keeps_the_role_checks(core: Core) -> None:
    await moka_pots(core)
    talk = talk_for(core)
    before = await state(core)

    asked = await talk.answer("we received 5 moka pots", VIEWER, "D10:UVIEW")
    refused = await talk.answer("POT-01", VIEWER, "D10:UVIEW", chosen=True)
    await talk.answer("we received 5 moka pots", OPERATOR, "D10:UOPER")
    offered = await talk.answer("1", OPERATOR, "D10:UOPER")

    assert [o.value for o in asked.options] == ["POT-01", "POT-02"]
    assert refused.reply.template == "not_allowed" and refused.confirm is None
    assert offered.confirm == "receive POT-01 5"
    assert await state(core) == before
