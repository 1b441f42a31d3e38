"""Commands of the customer inbox."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from domain.texts import Text

MailIntent = Literal["return", "rating", "message"]
# Why a message was refused before it was read (the polite answer says which).
REFUSAL_REASONS = ("bad_token", "foreign_sender", "too_large", "malformed", "unreadable")


@dataclass(frozen=True)
class InboundFile:
    """A file that came with a message: `name` is the sender's label, never a path."""

    name: str | None
    content_type: str
    data: bytes


@dataclass(frozen=True)
class ReceiveCustomerMail:
    """A customer's mail about an order: open a return, record a rating, or tell staff.

    `order_id` comes from a genuine reply token; `problem` (one of REFUSAL_REASONS) refuses
    the message outright. `reply_to` is where a polite refusal may go: None when answering
    is not safe (null sender, a robot); the handler answers only an address it knows.
    `note` tells staff why the intent was not acted on (said in their language). `files`
    (images and PDFs among them are kept with a return it opens); `size` is the message's
    size in bytes.
    """

    sender: str
    subject: str
    text: str
    sender_name: str = ""
    message_id: str | None = None
    order_id: int | None = None
    intent: MailIntent = "message"
    rating: int | None = None
    problem: str | None = None
    reply_to: str | None = None
    note: Text | None = None
    files: tuple[InboundFile, ...] = ()
    size: int = 0


@dataclass(frozen=True)
class MailOutcome:
    action: Literal["duplicate", "refused", "return", "review", "message"]
    detail: str = ""
