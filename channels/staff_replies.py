"""What the staff service works with and answers: who asks (`StaffUser`), the reply each
channel renders (`Reply`, with the `Subject` its buttons act on), and the new-order form.

Standard library, the domain and the staff grammar only.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal

from channels import staff_requests as sr
from channels.staff_values import parse_free_text
from domain.messagebus import Actor
from domain.queries import View
from domain.staff.model import Role

# The buttons staff get, in this order, for what an order or a return allows next.
ORDER_BUTTONS = ("ship", "deliver", "hold", "release", "cancel")
RETURN_BUTTONS = ("approve", "reject", "receive", "refund")


@dataclass(frozen=True)
class StaffUser:
    """Who is asking: their id in the channel (a Slack user id, or "console"), their role,
    how Slack mentions them, and the actor written to the audit trail."""

    user_id: str
    role: Role
    actor: Actor
    mention: str


@dataclass(frozen=True)
class Subject:
    """What a message is about, so a channel can offer buttons for the next actions."""

    kind: Literal["order", "return", "po"]
    id: int
    status: str
    actions: tuple[str, ...]


@dataclass(frozen=True)
class Attachment:
    """A file that goes with a reply (a report's PNG chart, a label or pick-list PDF): Slack
    uploads it into the channel, the console saves it and prints where. `draw` makes its
    bytes; channels call it after the text is out (drawing takes a moment), off the event
    loop. `kind` names it for people ("Chart", "PDF")."""

    filename: str
    title: str
    draw: Callable[[], bytes]
    kind: str = "Chart"

    async def content(self) -> bytes:
        """The file's bytes, drawn in a worker thread."""
        return await asyncio.to_thread(self.draw)


@dataclass(frozen=True)
class Reply:
    """What to answer: a template name and its context; `public` for changes (in the
    channel), else only to the asker. `form`: ask for a new order's name and address.
    `file`: a document to hand over with the text."""

    template: str
    context: dict[str, Any] = field(default_factory=dict)
    public: bool = False
    subject: Subject | None = None
    form: sr.NewOrder | None = None
    attachment: Attachment | None = None


@dataclass(frozen=True)
class Address:
    """What the new-order form asks for."""

    name: str
    line1: str
    city: str
    postal_code: str
    country: str
    phone: str | None = None

    def as_shipping_address(self) -> dict[str, str]:
        return {"name": self.name, "line1": self.line1, "city": self.city,
                "postal_code": self.postal_code, "country": self.country.upper()}


def _country(text: str) -> str:
    if len(text) != 2 or not text.isalpha() or not text.isascii():
        raise ValueError("Write the two-letter country code, like IT.")
    return text.upper()


def _text(what: str, longest: int) -> Callable[[str], str]:
    return lambda text: parse_free_text(text, what, longest)


# What the new-order form asks, in order: field → (question, parser raising ValueError).
ADDRESS_QUESTIONS: dict[str, tuple[str, Callable[[str], str]]] = {
    "name": ("Customer name", _text("name", 200)),
    "line1": ("Address", _text("address", 200)),
    "city": ("City", _text("city", 200)),
    "postal_code": ("Postal code", _text("postal code", 32)),
    "country": ("Country (two letters, e.g. IT)", _country),
    "phone": ("Phone (optional)", _text("phone number", 40)),
}
ADDRESS_FIELDS = {name: parser for name, (_, parser) in ADDRESS_QUESTIONS.items()}
OPTIONAL_FIELDS = frozenset({"phone"})


def order_subject(order: View, role: Role) -> Subject | None:
    number = int(str(order["number"]).removeprefix("ORD-"))
    actions = tuple(a for a in ORDER_BUTTONS if a in order["allowed_actions"])
    if not role.covers(Role.OPERATOR):
        actions = ()
    return Subject("order", number, str(order["status"]), actions)


def po_subject(po: View, role: Role) -> Subject:
    """A draft purchase order offers Approve (then it is e-mailed to the supplier)."""
    actions = ("approve",) if po["status"] == "draft" and role.covers(Role.OPERATOR) else ()
    return Subject("po", int(po["id"]), str(po["status"]), actions)


def return_subject(ret: View, role: Role) -> Subject:
    number = int(str(ret["rma"]).removeprefix("RMA-"))
    actions = tuple(a for a in RETURN_BUTTONS if a in ret["allowed_actions"])
    if not role.covers(Role.OPERATOR):
        actions = ()
    return Subject("return", number, str(ret["status"]), actions)
