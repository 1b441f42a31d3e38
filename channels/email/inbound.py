"""Incoming customer mail, shared by the inbound SMTP server and `omsbot email ingest`.

One RFC 5322 message in, one outcome out: robots (auto-replies, bounces, null senders) are
ignored; the reply token names the order; the domain checks the sender owns it, dedupes
by Message-ID and opens a return (keeping its photos), records a review or tells staff.
Anything refused gets a polite automatic answer only where answering is safe (a customer we
know), and staff hear of it, with who sent what.

Parsed with the standard library's modern API (`email.policy.default`): structured headers,
every text part in order, the customer's new words only (channels/email/quotes.py).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from email import message_from_bytes, policy
from email.message import Message
from email.parser import BytesHeaderParser
from email.utils import parseaddr
from typing import Any, Protocol

from channels.email.body import body_text, files
from channels.email.intent import addresses, first_address, header_text, is_auto_reply, read_intent
from channels.email.quotes import strip_quoted
from channels.email.reply_token import read_token, token_from_address
from domain.errors import DomainError
from domain.inbox.commands import InboundFile, MailOutcome, ReceiveCustomerMail
from domain.input_policy import clean_text
from domain.messagebus import Actor
from domain.texts import N_, Number, Text

DEFAULT_MAX_BYTES = 25 * 1024 * 1024  # OMSBOT_INBOUND_MAX_BYTES
HEADER_BYTES = 64 * 1024  # of an oversized message, only this much is read for headers
MAX_TEXT = 20_000
_RECIPIENT_HEADERS = ("To", "Cc", "Delivered-To", "X-Original-To", "Envelope-To")


class Bus(Protocol):
    async def handle(self, command: object, actor: Actor = ...) -> Any: ...


@dataclass(frozen=True)
class InboundConfig:
    secret: bytes
    reply_domain: str
    own_addresses: frozenset[str] = frozenset()  # our From address: never answered
    max_bytes: int = DEFAULT_MAX_BYTES  # larger mail is refused politely (too_large)


@dataclass(frozen=True)
class Received:
    """What became of one message: ignored, duplicate, refused, return, review, message."""

    action: str
    detail: str = ""


class Inbox:
    def __init__(self, bus: Bus, config: InboundConfig) -> None:
        self.bus = bus
        self.config = config

    async def receive(self, raw: bytes, *, envelope_from: str | None = None,
                      recipients: Sequence[str] = (), size: int | None = None) -> Received:
        """Handle one message; `size` is its full size in bytes when `raw` was cut short."""
        size = len(raw) if size is None else max(size, len(raw))
        too_large = size > self.config.max_bytes
        msg = _parse(raw, headers_only=too_large)
        if (envelope_from is not None and not envelope_from.strip("<> ")) or \
                is_auto_reply(msg):  # the null sender (<>) is a bounce or another robot
            return Received("ignored", "automatic message")
        sender_name, sender = first_address(msg, "From")
        order_id = self._order_id(msg, recipients)
        problem = ("too_large" if too_large else "malformed" if "@" not in sender
                   else "bad_token" if order_id is None else None)
        # Mail cannot be answered with a 422: its control characters are dropped here, by
        # the same input policy that refuses them everywhere else.
        text = "" if too_large else clean_text(body_text(msg))
        intent = read_intent(text)
        subject = clean_text(header_text(msg, "Subject")).strip()[:300]
        sender, sender_name = clean_text(sender), clean_text(sender_name)
        cmd = ReceiveCustomerMail(
            sender=sender, sender_name=sender_name[:200], subject=subject,
            text=(text if problem else strip_quoted(text))[:MAX_TEXT],
            message_id=clean_text(_message_id(msg, raw)), order_id=order_id, intent=intent.kind,
            rating=intent.rating, problem=problem,
            reply_to=self._answer_to(msg, sender, envelope_from),
            note=_note(size, self.config.max_bytes, subject, intent.kind),
            files=() if problem else tuple(_labelled(f) for f in files(msg)), size=size,
        )
        actor = Actor(sender or "unknown sender", "email")
        try:
            outcome: MailOutcome = await self.bus.handle(cmd, actor)
        except DomainError as exc:  # e.g. not delivered yet: a person decides instead
            outcome = await self.bus.handle(
                replace(cmd, intent="message", note=exc.text), actor)
        return Received(outcome.action, outcome.detail)

    def _order_id(self, msg: Message, recipients: Sequence[str]) -> int | None:
        for address in _addresses(msg, recipients):
            token = token_from_address(address, domain=self.config.reply_domain)
            if token is not None:
                return read_token(self.config.secret, token)
        return None

    def _answer_to(self, msg: Message, sender: str, envelope_from: str | None) -> str | None:
        """Where a refusal may go (RFC 3834: the envelope sender), or None when unsafe."""
        candidates = [envelope_from, parseaddr(header_text(msg, "Return-Path"))[1], sender]
        target = next((c.strip() for c in candidates if c and c.strip()), "")
        _, _, domain = target.rpartition("@")
        if not domain or target.lower() in self.config.own_addresses or \
                domain.lower() == self.config.reply_domain.lower():
            return None
        return clean_text(target)


def _labelled(file: InboundFile) -> InboundFile:
    """A file whose name is a clean label (the input policy's text rule)."""
    return file if file.name is None else replace(file, name=clean_text(file.name))


def _parse(raw: bytes, *, headers_only: bool) -> Message:
    if headers_only:
        return BytesHeaderParser(policy=policy.default).parsebytes(raw[:HEADER_BYTES])
    return message_from_bytes(raw, policy=policy.default)


def _note(size: int, limit: int, subject: str, intent: str) -> Text | None:
    """What staff should know besides the words: mail too large to read, or a wish to hear
    no more (said in the staff's language)."""
    if size > limit:
        return Text.of(N_("Not read: the message has %(size)s bytes, above the limit of "
                          "%(limit)s bytes (OMSBOT_INBOUND_MAX_BYTES). A customer we know was "
                          "asked to send fewer or smaller files."), size=Number(size),
                       limit=Number(limit))
    if "unsubscribe" in subject.lower() and intent == "message":
        return Text(N_("asks to stop review requests"))
    return None


def _message_id(msg: Message, raw: bytes) -> str:
    """The Message-ID; a digest of the bytes when there is none (an MTA re-delivering the
    same message still dedupes)."""
    found = header_text(msg, "Message-ID").strip()
    return found or "sha256:" + hashlib.sha256(raw).hexdigest()


def _addresses(msg: Message, recipients: Iterable[str]) -> list[str]:
    found = [r for r in recipients if r]
    for name in _RECIPIENT_HEADERS:
        found.extend(addr for _, addr in addresses(msg, name) if addr)
    return found
