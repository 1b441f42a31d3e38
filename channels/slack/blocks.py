"""Every piece of Block Kit JSON omsbot sends: messages with action buttons, and modals.

Listeners never build JSON themselves; they call these functions. Ids of buttons, modals and
their inputs are named here too, and read back here (`parse_button`, `form_values`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from channels.staff_replies import Subject

JSON = dict[str, Any]
SECTION_LIMIT = 3000  # characters of mrkdwn in one section block
TEXT_LIMIT = 39_000  # chat.postMessage truncates text beyond 40,000 characters

SHIP_MODAL = "ship_order"
CANCEL_MODAL = "cancel_order"
NEW_ORDER_MODAL = "new_order"
BUTTON_PATTERN = r"^(order|return|po)_[a-z]+$"
VALUE = "value"  # the action id of every modal input

_LABELS = {"ship": "Ship", "deliver": "Deliver", "hold": "Hold", "release": "Release",
           "cancel": "Cancel", "approve": "Approve", "reject": "Reject",
           "receive": "Receive", "refund": "Refund"}
_STYLES = {"ship": "primary", "approve": "primary", "deliver": "primary",
           "cancel": "danger", "reject": "danger"}


@dataclass(frozen=True)
class Button:
    """A click: on an order or return `id`, do `verb`; `status`: what the message showed."""

    kind: str
    verb: str
    id: int
    status: str


def message(text: str, subject: Subject | None = None) -> JSON:
    """`text` (mrkdwn) as sections, then one button per next action of `subject`."""
    text = text[:TEXT_LIMIT]
    blocks: list[JSON] = [{"type": "section", "text": {"type": "mrkdwn", "text": chunk}}
                          for chunk in _chunks(text)]
    if subject is not None and subject.actions:
        blocks.append({"type": "actions", "block_id": f"{subject.kind}:{subject.id}",
                       "elements": [_button(subject, verb) for verb in subject.actions]})
    return {"text": text, "blocks": blocks}


def _button(subject: Subject, verb: str) -> JSON:
    button: JSON = {"type": "button", "action_id": f"{subject.kind}_{verb}",
                    "text": {"type": "plain_text", "text": _LABELS[verb]},
                    "value": f"{subject.id}:{subject.status}"}
    if verb in _STYLES:
        button["style"] = _STYLES[verb]
    return button


def _chunks(text: str) -> list[str]:
    """Sections of at most SECTION_LIMIT characters, cut between lines where possible."""
    chunks: list[str] = []
    current = ""
    for line in text.splitlines(keepends=True):
        while len(line) > SECTION_LIMIT:
            chunks.extend([current] if current else [])
            current = ""
            chunks.append(line[:SECTION_LIMIT])
            line = line[SECTION_LIMIT:]
        if len(current) + len(line) > SECTION_LIMIT:
            chunks.append(current)
            current = ""
        current += line
    chunks.append(current)
    return [chunk for chunk in chunks if chunk.strip()] or [" "]


def parse_button(action: JSON) -> Button | None:
    """The click that `action` (a block_actions element) stands for; None if malformed."""
    kind, _, verb = str(action.get("action_id", "")).partition("_")
    number, _, status = str(action.get("value", "")).partition(":")
    if kind not in ("order", "return", "po") or verb not in _LABELS or not number.isdigit():
        return None
    return Button(kind, verb, int(number), status)


# -- modals ----------------------------------------------------------------------------------


def _plain(text: str) -> JSON:
    return {"type": "plain_text", "text": text}


def _input(block_id: str, label: str, *, optional: bool = False, multiline: bool = False,
           max_length: int = 100, hint: str | None = None) -> JSON:
    element: JSON = {"type": "plain_text_input", "action_id": VALUE,
                     "max_length": max_length, "multiline": multiline}
    block: JSON = {"type": "input", "block_id": block_id, "label": _plain(label),
                   "element": element, "optional": optional}
    if hint:
        block["hint"] = _plain(hint)
    return block


def _modal(callback_id: str, title: str, submit: str, metadata: str,
           blocks: list[JSON]) -> JSON:
    return {"type": "modal", "callback_id": callback_id, "title": _plain(title),
            "submit": _plain(submit), "close": _plain("Back"),
            "private_metadata": metadata, "blocks": blocks}


def ship_modal(order_number: str, metadata: str) -> JSON:
    eta: JSON = {"type": "input", "block_id": "eta", "label": _plain("Expected delivery"),
                 "optional": True, "element": {"type": "datepicker", "action_id": VALUE}}
    return _modal(SHIP_MODAL, f"Ship {order_number}", "Ship", metadata, [
        _input("carrier", "Carrier", max_length=64),
        _input("tracking", "Tracking number", max_length=100),
        eta,
    ])


def cancel_modal(order_number: str, metadata: str) -> JSON:
    return _modal(CANCEL_MODAL, f"Cancel {order_number}", "Cancel order", metadata, [
        _input("reason", "Reason", multiline=True, max_length=500,
               hint="Kept with the order and shown to staff."),
    ])


def new_order_modal(summary: str, metadata: str) -> JSON:
    return _modal(NEW_ORDER_MODAL, "New order", "Place order", metadata, [
        {"type": "section", "text": {"type": "mrkdwn", "text": summary[:SECTION_LIMIT]}},
        _input("name", "Customer name", max_length=200),
        _input("line1", "Address", max_length=200),
        _input("city", "City", max_length=200),
        _input("postal_code", "Postal code", max_length=32),
        _input("country", "Country (two letters, e.g. IT)", max_length=2),
        _input("phone", "Phone", optional=True, max_length=40),
    ])


def form_values(view: JSON) -> dict[str, str]:
    """{block_id: the text typed or the date picked}, empty inputs left out."""
    values: dict[str, str] = {}
    for block_id, actions in view.get("state", {}).get("values", {}).items():
        element = actions.get(VALUE) or {}
        value = element.get("value") or element.get("selected_date")
        if isinstance(value, str) and value.strip():
            values[block_id] = value.strip()
    return values
