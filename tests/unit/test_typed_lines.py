"""Where commands end and plain words begin: a command written wrong gets its usage line,
a sentence that starts like a command is plain words (every labelled staff utterance)."""

from __future__ import annotations

import pytest

from bench.intents import TEST_SPLIT, demo_catalogue
from channels.staff_grammar import close_command
from channels.understanding.corpus import training_utterances, utterances_at
from channels.understanding.reader import reader
from channels.understanding.typed import as_sentence, typed_command

CATALOGUE = demo_catalogue()


def is_usage_error(text: str) -> tuple[str, str] | None:
    """(message, usage) when `text` is answered as a command written wrong."""
    typed = typed_command(text, prefix="/oms ")
    if typed is None or typed.error is None:
        return None
    reading = reader().read(text, "staff", CATALOGUE)
    if as_sentence(typed, text, reader(), reading, CATALOGUE) is not None:
        return None
    return typed.error.message, typed.error.usage


@pytest.mark.parametrize(("text", "message", "usage"), [
    ("receive MUG-01 1.9 MIL", "`1.9` is not a quantity", "/oms receive SKU QTY [WAREHOUSE]"),
    ("fx USD abc", "`abc` is not a rate", "/oms fx [CURRENCY RATE]"),
    ("orders bogus", "`bogus` is not an order status", "/oms orders [STATUS]"),
    ("ship 12 foo", "`ship` needs a tracking number.", "/oms ship N [CARRIER TRACKING]"),
    ("recieve MUG-01 1.9", "Unknown command `recieve`; did you mean `receive`?",
     "/oms receive SKU QTY"),
    ("/oms stock", "`stock` needs a SKU.", "/oms stock SKU"),
    ("cancle ORD-x", "did you mean `cancel`?", "/oms cancel N"),
    ("receive 5 MUG-01 1.9", "`MUG-01` is not a quantity", "/oms receive SKU QTY"),
    ("report yearly", "`yearly` is not a period", "/oms report [today|week|month]"),
    ("top abc", "`abc` is not a ranking", "/oms top [N]"),
])
def test_a_command_written_wrong_gets_the_error_and_its_usage_line(
        text: str, message: str, usage: str) -> None:
    answered = is_usage_error(text)
    assert answered is not None, text
    assert message in answered[0] and answered[1].startswith(usage)


@pytest.mark.parametrize("text", [
    "cancel it", "ship it with DHL 1234567890", "stock of BEAN-01", "report di oggi",
    "top 5 customers", "stock gooseneck kettle", "order 77?", "receive 100 FIL-01",
    "recieve 5 MUG-01", "hold the order please", "how many MUG-01 in Milano?",
    "order 310 shipped dhl JD014600003828", "help?",
])
def test_sentences_that_start_like_a_command_are_plain_words(text: str) -> None:
    assert is_usage_error(text) is None


def test_no_labelled_staff_utterance_is_taken_for_a_command_written_wrong() -> None:
    staff = [u for u in (*training_utterances(), *utterances_at(TEST_SPLIT))
             if u.audience == "staff"]
    assert [u.text for u in staff if is_usage_error(u.text)] == []


def test_mistyped_command_names_need_four_letters() -> None:
    assert close_command("recieve") == "receive"
    assert close_command("STOK") == "stock"
    assert close_command("to") is None and close_command("pos") is None
    assert close_command("where") is None and close_command("shipped") is None
    assert close_command("orders") == "orders"
