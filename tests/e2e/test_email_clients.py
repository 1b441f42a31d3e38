"""Mail as real clients write it, through the real inbound SMTP server (aiosmtpd, aiosmtplib):
the corpus's Outlook, Apple Mail and iPhone replies, photos kept with returns, served by the
API and uploaded into the return's Slack thread."""

from __future__ import annotations

import hashlib
import os
from collections.abc import AsyncIterator
from dataclasses import dataclass
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import aiosmtplib
import pytest
from aiohttp.test_utils import TestClient, TestServer

from bot.bootstrap import Core, build_core
from bot.email_service import build_inbound_server
from bot.slack import build_slack_notifier
from bot.web import build_web_app
from channels.email.reply_token import make_token, reply_address
from channels.email.smtp_server import InboundSmtpServer
from domain.clock import FixedClock
from domain.notifications import Notification, Notifier
from domain.orders import commands as oc
from storage.outbox import SqlOutboxStore
from tests.catalog import order_command, small_shop
from tests.conftest import make_settings
from tests.doubles import FakeSlackAPI

DOMAIN = "shop.example"
ALERTS = "CALERTS"
CORPUS = Path(__file__).parents[1] / "corpora" / "mail"
PLACEHOLDER = "reply+1-3jz9x0m2k4q7w8e5r6t1@shop.example"  # the To of every corpus mail
CUSTOMERS = {"ada@example.com": "en", "alan@example.com": "en",
             "juergen.mueller@example.de": "de", "maria.rossi@example.it": "it"}


@dataclass
class Mailroom:
    core: Core
    server: InboundSmtpServer
    slack: FakeSlackAPI
    notifier: Notifier
    orders: dict[str, int]

    def address(self, customer: str) -> str:
        return reply_address(make_token(b"test-secret", self.orders[customer]), DOMAIN)

    async def send(self, raw: bytes, customer: str) -> None:
        to = self.address(customer)
        await aiosmtplib.send(raw.replace(PLACEHOLDER.encode(), to.encode()), sender=customer,
                              recipients=[to], hostname="127.0.0.1", port=self.server.port)

    async def send_corpus(self, name: str, customer: str) -> None:
        [path] = CORPUS.glob(f"*-{name}.eml")
        await self.send(path.read_bytes(), customer)

    async def notes(self, kind: str) -> list[Notification]:
        listing = await SqlOutboxStore(self.core.db, self.core.clock).listing(limit=1000)
        return [n for n in listing if n.kind == kind]


@pytest.fixture
async def room(database_url: str, clock: FixedClock, tmp_path: Path,
               monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[Mailroom]:
    monkeypatch.chdir(tmp_path)  # attachments are kept under var/attachments
    async with FakeSlackAPI() as slack:
        settings = make_settings(
            database_url, email_from=f"Bottega <orders@{DOMAIN}>", inbound_smtp_port=0,
            slack_bot_token="xoxb-test", slack_signing_secret="s",
            slack_api_url=await slack.start(), slack_alerts_channel=ALERTS)
        core = build_core(settings, clock=clock)
        server = build_inbound_server(core)
        notifier = build_slack_notifier(settings, core.views)
        assert server is not None and notifier is not None
        await server.start()
        try:
            await small_shop(core.bus)
            orders = {}
            for n, (email, locale) in enumerate(CUSTOMERS.items(), start=1):
                placed = await core.bus.handle(order_command(f"WEB-{n}", email=email,
                                                             locale=locale))
                await core.bus.handle(oc.ShipOrder(placed.order_id, "BRT", f"TRK-{n}"))
                await core.bus.handle(oc.DeliverOrder(placed.order_id))
                orders[email] = placed.order_id
            yield Mailroom(core, server, slack, notifier, orders)
        finally:
            await server.stop()
            await core.close()


async def test_a_last_first_name_is_one_address_and_staff_see_all_of_it(room: Mailroom) -> None:
    await room.send_corpus("en-outlook-turing-invoice", "alan@example.com")

    assert await room.core.views.returns() == []
    assert await room.notes("refusal") == []  # the customer is not told to resend
    [staff] = await room.notes("customer_message")
    assert staff.payload["problem"] is None
    assert (staff.payload["sender_name"], staff.payload["sender"]) == (
        "Turing, Alan", "alan@example.com")
    assert staff.payload["text"].startswith("Could you send me the invoice as a PDF?")
    await room.notifier.send(staff)
    [posted] = room.slack.messages(ALERTS)
    # Slack shows "&lt;…&gt;" as "<…>"; a bare "<…>" would be read as a link
    assert "Message from Turing, Alan &lt;alan@example.com&gt; about" in posted["text"]


async def test_a_german_outlook_reply_over_our_quoted_mail_reaches_staff(room: Mailroom) -> None:
    juergen = "juergen.mueller@example.de"
    await room.send_corpus("de-outlook-address-change", juergen)

    assert await room.core.views.returns() == []  # "return" in our quoted mail counts for naught
    [staff] = await room.notes("customer_message")
    assert staff.payload["text"].startswith("Guten Tag,")
    assert "Lieferadresse ändern" in staff.payload["text"]
    assert "Bottega" not in staff.payload["text"] and "Von:" not in staff.payload["text"]

    await room.send_corpus("de-outlook-alles-bestens", juergen)
    order = await room.core.views.order(room.orders[juergen])
    assert order is not None and order["review"]["rating"] == 5
    assert await room.core.views.returns() == []


async def test_windows_1252_under_an_iso_8859_1_label_reads_as_typed(room: Mailroom) -> None:
    await room.send_corpus("en-outlook-cp1252-in-latin1", "ada@example.com")

    [ret] = await room.core.views.returns()
    assert ret["reason"].startswith("The mug\u2019s handle broke off \u2013 I want to return it.")
    assert not any("\x80" <= ch <= "\x9f" for ch in ret["reason"])


async def test_apple_mail_text_photo_text_opens_a_return_with_the_italian_reason(
        room: Mailroom) -> None:
    maria = "maria.rossi@example.it"
    await room.send_corpus("it-apple-three-part-return", maria)

    [ret] = await room.core.views.returns()
    assert "vorrei fare il reso e avere il rimborso" in ret["reason"]
    assert ret["reason"].startswith("Ecco la foto della tazza.")
    assert "Bottega" not in ret["reason"]
    assert [(a["name"], a["content_type"]) for a in ret["attachments"]] == [
        ("IMG_0421.jpeg", "image/jpeg")]
    [ack] = await room.notes("return_received_request")
    assert (ack.channel, ack.recipient, ack.locale) == ("email", maria, "it")


def with_photo(name: str, photo: bytes, filename: str) -> bytes:
    """A corpus mail with its photo replaced (the corpus keeps small files)."""
    [path] = CORPUS.glob(f"*-{name}.eml")
    msg = message_from_bytes(path.read_bytes(), policy=policy.default)
    assert isinstance(msg, EmailMessage)
    for part in msg.walk():
        if part.get_content_maintype() == "image":
            part.set_content(photo, maintype="image", subtype="jpeg", disposition="inline",
                             filename=filename)
    return msg.as_bytes()


def phone_photo(size: int) -> bytes:
    """JPEG markers around `size` bytes of camera noise."""
    return b"\xff\xd8\xff\xe1" + os.urandom(size - 6) + b"\xff\xd9"


async def test_a_1_1_mb_phone_photo_is_kept_listed_served_and_shown_to_staff(
        room: Mailroom, tmp_path: Path) -> None:
    photo = phone_photo(1_100_000)
    await room.send(with_photo("en-iphone-photo-return", photo, "IMG_2231.JPG"),
                    "ada@example.com")

    [ret] = await room.core.views.returns()
    [listed] = ret["attachments"]
    assert (listed["name"], listed["content_type"], listed["size"]) == (
        "IMG_2231.JPG", "image/jpeg", 1_100_000)
    assert listed["url"] == f"/api/v1/returns/{ret['rma']}/attachments/{listed['id']}"
    stored = Path(listed["path"])
    assert stored.resolve().is_relative_to(tmp_path / "var" / "attachments")
    assert stored.read_bytes() == photo

    served, headers, view = await api_get(room.core, listed["url"], f"/returns/{ret['rma']}")
    assert served == photo
    assert headers["Content-Type"] == "image/jpeg"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert "path" not in view["attachments"][0]  # our disk layout is not the API's business

    [alert] = await room.notes("return_requested")
    ts = await room.notifier.send(alert)
    [posted] = room.slack.messages(ALERTS)
    assert "IMG_2231.JPG" in posted["text"]
    [uploaded] = room.slack.files(ALERTS)
    assert (uploaded.filename, uploaded.thread_ts, uploaded.content) == (
        "IMG_2231.JPG", ts, photo)


async def api_get(core: Core, url: str, view_path: str) -> tuple[bytes, Any, dict[str, Any]]:
    client = TestClient(TestServer(build_web_app(core)))
    await client.start_server()
    try:
        token = await core.tokens.create("test")
        auth = {"Authorization": f"Bearer {token}"}
        unauthorised = await client.get(url)
        assert unauthorised.status == 401
        resp = await client.get(url, headers=auth)
        assert resp.status == 200
        missing = await client.get(url.rsplit("/", 1)[0] + "/999", headers=auth)
        assert missing.status == 404
        view = await (await client.get("/api/v1" + view_path, headers=auth)).json()
        return await resp.read(), resp.headers, view
    finally:
        await client.close()


async def test_a_file_name_is_only_a_label_never_a_path(room: Mailroom, tmp_path: Path) -> None:
    msg = EmailMessage()
    msg["From"] = "Ada <ada@example.com>"
    msg["To"] = room.address("ada@example.com")
    msg["Subject"] = "Re: reso"
    msg["Message-ID"] = "<traversal@mail.example.com>"
    msg.set_content("I want to return it, photos attached.")
    pdf, photo = b"%PDF-1.4\n%%EOF\n", phone_photo(5000)
    msg.add_attachment(photo, maintype="image", subtype="jpeg",
                       filename="../../../../tmp/evil.jpg")
    msg.add_attachment(pdf, maintype="application", subtype="pdf",
                       filename="..\\..\\windows\\receipt.pdf")
    msg.add_attachment(b"MZ\x90\x00 not an image", maintype="image", subtype="png",
                       filename="virus.png.exe")
    await room.send(bytes(msg), "ada@example.com")

    [ret] = await room.core.views.returns()
    assert [a["name"] for a in ret["attachments"]] == ["evil.jpg", "receipt.pdf"]
    root = tmp_path / "var" / "attachments"
    assert {p.name for p in root.rglob("*") if p.is_file()} == {
        hashlib.sha256(pdf).hexdigest(), hashlib.sha256(photo).hexdigest()}
    assert not list(tmp_path.rglob("evil.jpg")) and not list(tmp_path.rglob("receipt.pdf"))
