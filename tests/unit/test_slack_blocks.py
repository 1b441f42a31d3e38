"""Block Kit built in one place: long texts split into sections, buttons read back safely."""

from __future__ import annotations

import pytest

from channels.slack import blocks
from channels.staff_replies import Subject


def test_long_text_is_split_between_lines_into_sections_of_at_most_3000() -> None:
    text = "".join(f"line {n:04d} " + "x" * 90 + "\n" for n in range(100))

    message = blocks.message(text, Subject("order", 7, "confirmed", ("ship", "cancel")))

    sections = [b["text"]["text"] for b in message["blocks"] if b["type"] == "section"]
    assert len(sections) == 4 and all(len(s) <= 3000 for s in sections)
    assert "".join(sections) == text
    assert all(s.endswith("\n") for s in sections)
    [actions] = [b for b in message["blocks"] if b["type"] == "actions"]
    assert [(e["action_id"], e["value"], e.get("style")) for e in actions["elements"]] == [
        ("order_ship", "7:confirmed", "primary"), ("order_cancel", "7:confirmed", "danger")]


def test_a_line_longer_than_a_section_is_cut() -> None:
    message = blocks.message("y" * 7000)
    assert [len(b["text"]["text"]) for b in message["blocks"]] == [3000, 3000, 1000]


@pytest.mark.parametrize(("action", "expected"), [
    ({"action_id": "order_hold", "value": "12:confirmed"},
     blocks.Button("order", "hold", 12, "confirmed")),
    ({"action_id": "return_refund", "value": "3:received"},
     blocks.Button("return", "refund", 3, "received")),
    ({"action_id": "order_explode", "value": "12:confirmed"}, None),
    ({"action_id": "order_hold", "value": "twelve:confirmed"}, None),
    ({"action_id": "user_hold", "value": "12:confirmed"}, None),
    ({}, None),
])
def test_buttons_are_read_back_or_refused(action: dict[str, str],
                                          expected: blocks.Button | None) -> None:
    assert blocks.parse_button(action) == expected


def test_form_values_take_text_and_dates_and_skip_blanks() -> None:
    view = {"state": {"values": {
        "carrier": {"value": {"type": "plain_text_input", "value": " DHL "}},
        "tracking": {"value": {"type": "plain_text_input", "value": "  "}},
        "eta": {"value": {"type": "datepicker", "selected_date": "2026-12-01"}},
    }}}
    assert blocks.form_values(view) == {"carrier": "DHL", "eta": "2026-12-01"}
