"""The domain's words kept as data in a stored payload, and said later (domain/texts.py)."""

from __future__ import annotations

import json

from channels.rendering import translations_for
from channels.texts import say
from domain.errors import ORDER, InvalidTransition
from domain.texts import N_, Code, Number, Text, from_data, to_data


def test_a_text_survives_json_with_its_nested_texts_codes_numbers_and_lists() -> None:
    error = InvalidTransition(ORDER, "shipped", "cancel", ["deliver", "hold"])
    counted = Text.counted(("%(count)s unit", "%(count)s units"), 3, sku="MUG-01")
    sized = Text.of(N_("Not read: the message has %(size)s bytes, above the limit of "
                       "%(limit)s bytes (OMSBOT_INBOUND_MAX_BYTES). A customer we know was "
                       "asked to send fewer or smaller files."),
                    size=Number(1_048_576), limit=Number(1_000_000))

    for text in (error.text, counted, sized):
        assert from_data(json.loads(json.dumps(to_data(text)))) == text
    assert from_data(to_data(error.text)).params["status"] == Code("status", "shipped")


def test_stored_data_is_said_in_the_readers_language_numbers_included() -> None:
    sized = to_data(Text.of(N_("Not read: the message has %(size)s bytes, above the limit of "
                               "%(limit)s bytes (OMSBOT_INBOUND_MAX_BYTES). A customer we know "
                               "was asked to send fewer or smaller files."),
                            size=Number(1_048_576), limit=Number(1_000_000)))

    assert say(sized, translations_for("de"), "de").startswith(
        "Nicht gelesen: Die Nachricht hat 1.048.576 Bytes, über der Grenze von 1.000.000")
    assert "has 1,048,576 bytes" in say(sized, translations_for("en"))
    assert say("already words", translations_for("it")) == "already words"
