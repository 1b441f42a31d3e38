"""Incoming mail through the real inbound SMTP server: returns, ratings, and refusals."""

from __future__ import annotations

import base64
import os
import re
from collections.abc import AsyncIterator
from dataclasses import dataclass, replace
from email.message import EmailMessage

import aiosmtplib
import pytest

from bot.bootstrap import Core, build_core
from bot.email_service import build_inbound_server
from channels.email.reply_token import make_token, reply_address
from channels.email.smtp_server import InboundSmtpServer
from channels.rendering import translations_for
from channels.texts import say
from domain.clock import FixedClock
from domain.notifications import Notification
from domain.orders import commands as oc
from storage.outbox import SqlOutboxStore
from tests.catalog import order_command, small_shop
from tests.conftest import make_settings

DOMAIN = "shop.example"
ADA = "ada@example.com"


@dataclass
class Shop:
    core: Core
    server: InboundSmtpServer
    order_id: int

    @property
    def reply_to(self) -> str:
        return reply_address(make_token(b"test-secret", self.order_id), DOMAIN)

    async def send(self, msg: EmailMessage | bytes, *, sender: str = ADA,
                   to: str | None = None) -> None:
        if sender:
            await aiosmtplib.send(msg, sender=sender, recipients=[to or self.reply_to],
                                  hostname="127.0.0.1", port=self.server.port)
            return
        async with aiosmtplib.SMTP(hostname="127.0.0.1", port=self.server.port) as client:
            await client.mail("")  # the null sender of bounces and other robots
            await client.rcpt(to or self.reply_to)
            await client.data(msg if isinstance(msg, bytes) else bytes(msg))

    async def outbox(self) -> list[Notification]:
        return await SqlOutboxStore(self.core.db, self.core.clock).listing(limit=1000)

    async def new_notes(self, before: int) -> list[Notification]:
        return [n for n in await self.outbox() if (n.id or 0) > before]


@pytest.fixture
async def shop(database_url: str, clock: FixedClock) -> AsyncIterator[Shop]:
    core = build_core(make_settings(database_url, email_from=f"Bottega <orders@{DOMAIN}>",
                                    inbound_smtp_port=0), clock=clock)
    server = build_inbound_server(core)
    assert server is not None
    await server.start()
    try:
        await small_shop(core.bus)
        placed = await core.bus.handle(order_command(email=ADA, locale="it"))
        await core.bus.handle(oc.ShipOrder(placed.order_id, "BRT", "TRK-1"))
        await core.bus.handle(oc.DeliverOrder(placed.order_id))
        yield Shop(core, server, placed.order_id)
    finally:
        await server.stop()
        await core.close()


def reply(shop: Shop, text: str, *, sender: str = ADA, **headers: str) -> EmailMessage:
    msg = EmailMessage()
    msg["From"] = f"Ada <{sender}>"
    msg["To"] = shop.reply_to
    msg["Subject"] = "Re: Il tuo ordine ORD-000001"
    msg["Message-ID"] = f"<{os.urandom(6).hex()}@mail.example.com>"
    for name, value in headers.items():
        msg[name.replace("_", "-")] = value
    msg.set_content(text)
    return msg


async def send_once(server: InboundSmtpServer, msg: EmailMessage | bytes, to: str) -> None:
    """Send `msg` from Ada to another (started) inbound server, then stop that server."""
    try:
        await aiosmtplib.send(msg, sender=ADA, recipients=[to], hostname="127.0.0.1",
                              port=server.port)
    finally:
        await server.stop()


async def last_id(shop: Shop) -> int:
    return max((n.id or 0 for n in await shop.outbox()), default=0)


async def test_a_reply_asking_for_a_return_opens_one_and_tells_staff(shop: Shop) -> None:
    before = await last_id(shop)
    await shop.send(reply(shop, "Vorrei fare il reso: la tazza è arrivata rotta.\n\n"
                                "Il giorno 24 nov 2026, Bottega ha scritto:\n"
                                "> Grazie, scrivi \"reso\" per un rimborso\n"))
    [ret] = await shop.core.views.returns()
    assert (ret["order"], ret["channel"], ret["status"]) == ("ORD-000001", "email", "requested")
    assert "tazza è arrivata rotta" in ret["reason"]
    assert "Grazie" not in ret["reason"]  # our quoted mail is not the customer's reason
    [staff, ack] = await shop.new_notes(before)
    assert (staff.channel, staff.kind, staff.recipient) == ("slack", "return_requested", "staff")
    assert (ack.channel, ack.kind, ack.recipient) == ("email", "return_received_request", ADA)


@pytest.mark.parametrize(("text", "rating"), [("★★★★ bella tazza", 4), ("5 stelle", 5),
                                               ("4/5, lovely mug", 4)])
async def test_a_reply_with_a_rating_records_a_review(shop: Shop, text: str,
                                                      rating: int) -> None:
    await shop.send(reply(shop, text))
    order = await shop.core.views.order(shop.order_id)
    assert order is not None
    assert order["review"]["rating"] == rating
    assert await shop.core.views.returns() == []


async def test_anything_else_reaches_staff_as_a_customer_message(shop: Shop) -> None:
    before = await last_id(shop)
    await shop.send(reply(shop, "Could you send me the invoice as a PDF, please?"))
    [staff] = await shop.new_notes(before)
    assert (staff.channel, staff.kind) == ("slack", "customer_message")
    assert staff.payload["text"].startswith("Could you send me the invoice")
    assert (staff.payload["order_id"], staff.payload["problem"]) == (shop.order_id, None)


async def refused(shop: Shop, before: int, reason: str, answer_to: str | None) -> None:
    notes = await shop.new_notes(before)
    staff = [n for n in notes if n.channel == "slack"]
    assert [(n.kind, n.payload["problem"]) for n in staff] == [("customer_message", reason)]
    answers = [n for n in notes if n.channel == "email"]
    if answer_to is None:
        assert answers == []
    else:
        [answer] = answers
        assert (answer.kind, answer.recipient, answer.payload["reason"]) == (
            "refusal", answer_to, reason)
    order = await shop.core.views.order(shop.order_id)
    assert order is not None and order["review"] is None and order["status"] == "delivered"
    assert await shop.core.views.returns() == []


async def test_a_forged_token_is_refused_politely(shop: Shop) -> None:
    before = await last_id(shop)
    forged = f"reply+{shop.order_id}-aaaaaaaaaaaaaaaa@{DOMAIN}"
    msg = reply(shop, "reso per favore, 5 stelle")
    msg.replace_header("To", forged)
    await shop.send(msg, to=forged)
    await refused(shop, before, "bad_token", ADA)


async def test_a_foreign_sender_is_refused_without_backscatter(shop: Shop) -> None:
    before = await last_id(shop)
    mallory = "mallory@example.org"
    await shop.send(reply(shop, "I want a refund", sender=mallory), sender=mallory)
    await refused(shop, before, "foreign_sender", None)  # a stranger gets no automatic mail


async def test_a_forged_token_from_an_unknown_sender_gets_no_answer(shop: Shop) -> None:
    before = await last_id(shop)
    forged = f"reply+{shop.order_id}-cccccccccccccccc@{DOMAIN}"
    stranger = "forged-sender@victim.example"
    msg = reply(shop, "reso per favore", sender=stranger)
    msg.replace_header("To", forged)
    await shop.send(msg, sender=stranger, to=forged)
    await refused(shop, before, "bad_token", None)  # staff are told; the victim is not mailed


async def test_auto_replies_are_ignored(shop: Shop) -> None:
    before = await last_id(shop)
    await shop.send(reply(shop, "I am out of the office; for returns call me.",
                          Auto_Submitted="auto-replied"))
    await shop.send(reply(shop, "Fuori sede fino a lunedì"), sender="")
    assert await shop.new_notes(before) == []
    assert await shop.core.views.returns() == []


async def test_mail_above_the_limit_is_refused_politely_and_staff_hear_who_sent_what(
        shop: Shop) -> None:
    settings = shop.core.settings.model_copy(update={"inbound_max_bytes": 1_000_000})
    small = build_inbound_server(replace(shop.core, settings=settings))
    assert small is not None
    await small.start()
    before = await last_id(shop)
    junk = base64.encodebytes(os.urandom(800_000))  # about 1.08 MB of lines
    raw = (f"From: =?iso-8859-1?Q?Lovelace=2C_Ada?= <{ADA}>\r\nTo: {shop.reply_to}\r\n"
           "Subject: reso, foto allegate\r\nMessage-ID: <junk@mail.example.com>\r\n\r\n"
           ).encode() + junk
    assert len(raw) > 1_000_000
    await send_once(small, raw, shop.reply_to)
    await refused(shop, before, "too_large", ADA)
    [staff] = [n for n in await shop.new_notes(before) if n.channel == "slack"]
    assert (staff.payload["sender"], staff.payload["sender_name"]) == (ADA, "Lovelace, Ada")
    assert staff.payload["subject"] == "reso, foto allegate"
    assert staff.payload["text"] == ""  # not read; the note says why, in the staff language
    assert re.search(r"hat 1\.0\d\d\.\d{3} Bytes, über der Grenze von 1\.000\.000 Bytes",
                     say(staff.payload["note"], translations_for("de"), "de"))


async def test_a_message_without_a_sender_is_malformed(shop: Shop) -> None:
    before = await last_id(shop)
    raw = f"To: {shop.reply_to}\r\nSubject: ?\r\n\r\n\x00\x01 reso \xff".encode("latin-1")
    await shop.send(raw, sender="robot-or-person@example.net")
    await refused(shop, before, "malformed", None)  # not a customer we know: no answer


async def test_the_same_message_twice_is_handled_once(shop: Shop) -> None:
    msg = reply(shop, "Reso, per favore: è rotta")
    await shop.send(msg)
    await shop.send(msg)
    assert len(await shop.core.views.returns()) == 1


async def test_a_return_the_order_does_not_allow_goes_to_staff(shop: Shop) -> None:
    placed = await shop.core.bus.handle(order_command("WEB-2", email=ADA))
    before = await last_id(shop)
    msg = reply(shop, "I want to return it")
    token = reply_address(make_token(b"test-secret", placed.order_id), DOMAIN)
    msg.replace_header("To", token)
    await shop.send(msg, to=token)
    [staff] = await shop.new_notes(before)
    assert (staff.kind, staff.payload["problem"]) == ("customer_message", None)  # not refused
    assert say(staff.payload["note"], translations_for("de")) == (
        "Bestellung ORD-000002 kann nach der Zustellung zurückgesendet werden")
    assert await shop.core.views.returns() == []


async def test_mail_for_other_domains_is_not_accepted(shop: Shop) -> None:
    with pytest.raises(aiosmtplib.SMTPRecipientsRefused):
        await shop.send(reply(shop, "hi"), to="someone@elsewhere.example")


async def test_mail_above_the_hard_limit_gets_552_and_changes_nothing(shop: Shop) -> None:
    from bot.email_service import build_inbox

    small = InboundSmtpServer(build_inbox(shop.core), host="127.0.0.1", port=0,
                              reply_domain=DOMAIN, hard_limit=1_500_000)
    await small.start()
    before = await last_id(shop)
    try:
        raw = (f"From: {ADA}\r\nTo: {shop.reply_to}\r\n\r\n").encode() + b"x" * 2_000_000
        with pytest.raises(aiosmtplib.SMTPResponseException) as refused:  # at MAIL or DATA
            await aiosmtplib.send(raw, sender=ADA, recipients=[shop.reply_to],
                                  hostname="127.0.0.1", port=small.port)
        assert refused.value.code == 552
    finally:
        await small.stop()
    assert await shop.new_notes(before) == []


async def test_one_automatic_answer_per_address_and_hour(shop: Shop) -> None:
    before = await last_id(shop)
    forged = f"reply+{shop.order_id}-bbbbbbbbbbbbbbbb@{DOMAIN}"
    for text in ("first", "second"):
        msg = reply(shop, text)
        msg.replace_header("To", forged)
        await shop.send(msg, to=forged)
    notes = await shop.new_notes(before)
    assert [n.kind for n in notes if n.channel == "slack"] == ["customer_message"] * 2
    assert [n.kind for n in notes if n.channel == "email"] == ["refusal"]
    shop.core.clock.advance(hours=1)  # type: ignore[attr-defined]
    msg = reply(shop, "third")
    msg.replace_header("To", forged)
    await shop.send(msg, to=forged)
    assert [n.kind for n in await shop.new_notes(before) if n.channel == "email"] == [
        "refusal", "refusal"]


async def test_a_refused_message_is_read_when_it_comes_again_after_the_fix(shop: Shop) -> None:
    """A mail refused because our own configuration was wrong (another secret key: every
    token looks forged) changes nothing, its Message-ID included: once the key is right,
    the same message delivered again is read, and only then is it a duplicate."""
    settings = shop.core.settings.model_copy(update={"secret_key": "a-key-set-by-mistake"})
    misconfigured = build_inbound_server(replace(shop.core, settings=settings))
    assert misconfigured is not None
    await misconfigured.start()
    before = await last_id(shop)
    msg = reply(shop, "4/5 molto bene, grazie")
    await send_once(misconfigured, msg, shop.reply_to)
    await refused(shop, before, "bad_token", ADA)

    await shop.send(msg)  # the very same message, now to the server with the right key
    order = await shop.core.views.order(shop.order_id)
    assert order is not None
    assert order["review"] == {"rating": 4, "comment": "4/5 molto bene, grazie"}
    after = await last_id(shop)
    await shop.send(msg)
    assert await shop.new_notes(after) == []  # now it was read: a repeat changes nothing
