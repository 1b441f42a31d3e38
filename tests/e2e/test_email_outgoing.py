"""Outgoing mail end to end: domain changes → outbox → worker → a real SMTP server."""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import AsyncIterator
from dataclasses import dataclass, replace
from decimal import Decimal
from email.message import EmailMessage
from email.utils import parseaddr
from typing import Any

import pytest

from bot.bootstrap import Core, build_core
from bot.delivery import OutboxWorker
from channels.email.compose import EMAIL_KINDS, thread_root_id
from channels.email.jobs import NOTIFICATION_HEADER
from channels.email.notifier import build_email_notifier
from channels.email.reply_token import read_token, token_from_address
from channels.email.transport import SMTP_CONNECTIONS
from channels.rendering import format_day, format_money
from domain.clock import FixedClock
from domain.inventory import commands as ic
from domain.notifications import SENT, Notification
from domain.orders import commands as oc
from domain.returns import commands as rc
from storage.outbox import SqlOutboxStore
from storage.uow import SqlUnitOfWork
from tests.catalog import order_command, small_shop
from tests.conftest import make_settings
from tests.doubles.smtp_sink import SmtpSink

SENDER = "Bottega Demo <orders@shop.example>"
SECRET = "test-secret"
GREETING = {"en": ("Hi ", "Hello,"), "it": ("Ciao", "Buongiorno")}


@pytest.fixture
async def sink() -> AsyncIterator[SmtpSink]:
    server = await SmtpSink().start()
    try:
        yield server
    finally:
        await server.stop()


def mail_core(database_url: str, clock: FixedClock, smtp_url: str) -> Core:
    return build_core(make_settings(
        database_url, smtp_url=smtp_url, email_from=SENDER,
        public_url="https://shop.example", timezone="Europe/Rome"), clock=clock)


@pytest.fixture
async def mcore(database_url: str, clock: FixedClock, sink: SmtpSink) -> AsyncIterator[Core]:
    core = mail_core(database_url, clock, sink.url)
    try:
        await small_shop(core.bus)
        yield core
    finally:
        await core.close()


def email_worker(core: Core, **options: Any) -> OutboxWorker:
    notifier = build_email_notifier(core.settings, core.views)
    return OutboxWorker(core.db, {"email": notifier}, core.clock, rng=random.Random(3),
                        **options)


async def store(core: Core, *notes: Notification) -> None:
    async with SqlUnitOfWork(core.db) as uow:
        for n in notes:
            await uow.outbox.add(n)
        await uow.commit()


def extra(clock: FixedClock, kind: str, recipient: str, locale: str, order_id: int | None,
          **payload: Any) -> Notification:
    now = clock.now()
    if order_id is not None:
        payload["order_id"] = order_id
    return Notification(channel="email", kind=kind, recipient=recipient, payload=payload,
                        locale=locale, order_id=order_id, created_at=now, next_attempt_at=now)


PURCHASE_ORDER = {"id": 7, "sku": "MUG-01", "product_name": "Mug", "quantity": 48,
                  "supplier_email": "supplier@example.com",
                  "warehouse": {"code": "MIL", "name": "Milano", "line1": "Via del Lavoro 5",
                                "city": "Milano", "postal_code": "20100", "country": "IT"}}


@dataclass
class Journey:
    order_id: int
    email: str
    locale: str


async def journey(core: Core, clock: FixedClock, locale: str) -> Journey:
    """Every kind of mail for one customer: the domain makes six, the jobs would add six."""
    email = f"{locale}-customer@example.com"
    placed = await core.bus.handle(order_command(f"WEB-{locale}", email=email, locale=locale))
    oid = placed.order_id
    await core.bus.handle(oc.ShipOrder(oid, "BRT", f"TRK-{locale}-1"))
    await core.bus.handle(oc.DeliverOrder(oid))
    first = await core.bus.handle(rc.RequestReturn(oid, "cracked", (rc.ReturnLineRequest(
        "MUG-01", 1),)))
    for action in ("approve", "receive", "refund"):
        await core.bus.handle(rc.DecideReturn(first.return_id, action))
    second = await core.bus.handle(rc.RequestReturn(oid, "changed my mind"))
    await core.bus.handle(rc.DecideReturn(second.return_id, "reject"))
    await store(core, *(extra(clock, kind, email, locale, oid, **payload) for kind, payload in (
        ("order_delayed", {"stage": "delivery", "new_estimate": "2026-12-02"}),
        ("order_cancelled", {"reason": "unpaid"}),
        ("review_request", {}),
        ("invoice", {}),
        ("payment_reminder", {}),
        ("order_awaiting_payment", {}),
    )), extra(clock, "link_code", email, locale, None, code="483920", expires_minutes=15),
        extra(clock, "purchase_order", "supplier@example.com", locale, None,
              purchase_order=PURCHASE_ORDER))
    return Journey(oid, email, locale)


def bodies(msg: EmailMessage) -> tuple[str, str]:
    text, html = msg.get_body(("plain",)), msg.get_body(("html",))
    assert text is not None and html is not None
    return str(text.get_content()), str(html.get_content())


def key_facts(kind: str, j: Journey, order: dict[str, Any]) -> list[str]:
    loc = j.locale
    total = format_money(order["total"], "EUR", loc)
    refund = format_money("12.50", "EUR", loc)
    number = order["number"]
    return {
        "order_confirmation": [number, "MUG-01", total],
        "order_shipped": [number, "BRT", f"TRK-{loc}-1"],
        "order_delivered": [number],
        "order_delayed": [number, format_day("2026-12-02", loc, fmt="long")],
        "order_cancelled": [number],
        "review_request": [number],
        "return_approved": [number, "RMA-000001" if loc == "en" else "RMA-000003", refund,
                            "20100"],  # the return address: the warehouse it shipped from
        "return_rejected": [number, "RMA-000002" if loc == "en" else "RMA-000004"],
        "return_received_request": [number, "RMA-00000"],
        "refund_issued": [number, refund],
        "link_code": ["483920", "15"],
        "invoice": [number, total],
        # what is still due: nothing here, the journey's order is paid
        "payment_reminder": [number, format_money(order["due"], "EUR", loc)],
        "order_awaiting_payment": [number, format_money(order["due"], "EUR", loc)],
        "purchase_order": ["PO-000007", "MUG-01", "48", "Via del Lavoro 5"],
    }[kind]


async def test_every_kind_in_both_languages_reaches_the_smtp_server(
        mcore: Core, clock: FixedClock, sink: SmtpSink) -> None:
    journeys = [await journey(mcore, clock, "en"), await journey(mcore, clock, "it")]
    counts = await email_worker(mcore).drain()
    # each journey opens two returns: return_received_request is sent twice per customer
    assert counts.sent == len(sink.messages) == 2 * (len(EMAIL_KINDS) + 1)
    assert counts.retried == counts.dead == 0

    kinds = await _kinds_by_id(mcore)
    for j in journeys:
        order = await mcore.views.order(j.order_id)
        assert order is not None
        mine = [m for m in sink.messages
                if m["To"] in (j.email, "supplier@example.com")
                and _locale_of(kinds[int(m[NOTIFICATION_HEADER])], j)]
        by_kind = {kinds[int(m[NOTIFICATION_HEADER])].kind: m for m in mine}
        assert sorted(by_kind) == sorted(EMAIL_KINDS)
        for kind, msg in by_kind.items():
            assert msg.get_content_type() == "multipart/alternative"
            text, html = bodies(msg)
            for fact in key_facts(kind, j, order):
                assert fact in text, (kind, j.locale, fact)
                assert fact in html.replace("&#39;", "'"), (kind, j.locale, fact)
            _check_language(kind, j.locale, msg, text)
            _check_headers(kind, j, order, msg)


def _locale_of(n: Notification, j: Journey) -> bool:
    return n.locale == j.locale


async def _kinds_by_id(core: Core) -> dict[int, Notification]:
    found = await SqlOutboxStore(core.db, core.clock).listing((SENT,), limit=1000)
    return {n.id: n for n in found if n.id is not None}


def _check_language(kind: str, locale: str, msg: EmailMessage, text: str) -> None:
    if kind == "purchase_order":
        assert str(msg["Subject"]).startswith(
            "Purchase order" if locale == "en" else "Ordine d'acquisto")
    else:
        assert text.startswith(GREETING[locale]), (kind, locale, text[:40])


def _check_headers(kind: str, j: Journey, order: dict[str, Any], msg: EmailMessage) -> None:
    assert msg["From"] == SENDER
    assert msg["Message-ID"].endswith("@shop.example>")
    if kind in ("purchase_order", "link_code"):
        assert msg["Reply-To"] is None
        return
    token = token_from_address(str(msg["Reply-To"]), domain="shop.example")
    assert token is not None
    assert read_token(SECRET.encode(), token) == j.order_id
    assert msg["In-Reply-To"] == thread_root_id(order["number"], "shop.example")
    assert msg["References"] == msg["In-Reply-To"]
    if kind == "review_request":
        assert "mailto:reply+" in str(msg["List-Unsubscribe"])
    else:
        assert msg["List-Unsubscribe"] is None


async def test_without_smtp_url_mail_is_written_to_eml_files(
        database_url: str, clock: FixedClock, tmp_path: Any) -> None:
    core = build_core(make_settings(database_url, email_from=SENDER), clock=clock)
    try:
        await small_shop(core.bus)
        await core.bus.handle(order_command(locale="en"))
        notifier = build_email_notifier(core.settings, core.views, outbox_dir=tmp_path / "out")
        worker = OutboxWorker(core.db, {"email": notifier}, clock)
        assert (await worker.drain()).sent == 1
    finally:
        await core.close()
    [eml] = list((tmp_path / "out").glob("*.eml"))
    assert b"ORD-000001" in eml.read_bytes()
    assert b"multipart/alternative" in eml.read_bytes()


async def test_telegram_deep_link_for_customers_not_yet_linked(
        mcore: Core, clock: FixedClock, sink: SmtpSink) -> None:
    asked: list[str] = []

    async def link(email: str) -> str | None:
        asked.append(email)
        return "https://t.me/shop_bot?start=abc" if email.startswith("new") else None

    await mcore.bus.handle(order_command("W1", email="new@example.com", locale="en"))
    await mcore.bus.handle(order_command("W2", email="linked@example.com", locale="en"))
    notifier = build_email_notifier(mcore.settings, mcore.views, telegram_link=link)
    await OutboxWorker(mcore.db, {"email": notifier}, clock).drain()
    texts = {parseaddr(m["To"])[1]: bodies(m)[0] for m in sink.messages}
    assert "https://t.me/shop_bot?start=abc" in texts["new@example.com"]
    assert "t.me" not in texts["linked@example.com"]
    assert sorted(asked) == ["linked@example.com", "new@example.com"]


async def place_many(core: Core, count: int) -> None:
    for i in range(count):
        await core.bus.handle(order_command(f"W{i}", email=f"c{i}@example.com", locale="en"))


def delivered_once(sink: SmtpSink, count: int) -> None:
    ids = Counter(m[NOTIFICATION_HEADER] for m in sink.messages)
    assert len(ids) == count
    assert set(ids.values()) == {1}


async def test_a_server_answering_451_for_a_while(
        mcore: Core, clock: FixedClock, sink: SmtpSink) -> None:
    await place_many(mcore, 6)
    sink.fail_next(4)
    worker = email_worker(mcore, concurrency=1)
    counts = await worker.drain()
    assert (counts.sent, counts.retried) == (2, 4)
    rows = await SqlOutboxStore(mcore.db, clock).listing()
    assert all("451" in (n.last_error or "") for n in rows)
    sink.fail_next(1)
    clock.advance(minutes=1)
    counts = await worker.drain()
    assert (counts.sent, counts.retried) == (3, 1)
    clock.advance(minutes=5)
    assert (await worker.drain()).sent == 1
    delivered_once(sink, 6)
    assert sink.handler.refused == 5


async def test_a_server_down_for_a_while(
        mcore: Core, clock: FixedClock, sink: SmtpSink) -> None:
    await place_many(mcore, 5)
    await sink.stop()  # the port is known; nothing listens there now
    worker = email_worker(mcore)
    for _ in range(3):
        counts = await worker.drain()
        assert (counts.sent, counts.retried, counts.dead) == (0, 5, 0)
        clock.advance(hours=1)
    await sink.start()
    assert (await worker.drain()).sent == 5
    delivered_once(sink, 5)
    clock.advance(hours=5)
    assert (await worker.drain()).claimed == 0


async def test_a_5xx_reply_is_permanent(
        mcore: Core, clock: FixedClock, sink: SmtpSink) -> None:
    await place_many(mcore, 2)
    sink.fail_next(1, "550 5.1.1 No such user")
    counts = await email_worker(mcore, concurrency=1).drain()
    assert (counts.sent, counts.dead) == (1, 1)


class Killed(BaseException):
    """The process dies: nothing after this line runs."""


async def test_a_worker_killed_between_send_and_mark_repeats_at_most_once(
        mcore: Core, clock: FixedClock, sink: SmtpSink) -> None:
    await place_many(mcore, 8)
    notifier = build_email_notifier(mcore.settings, mcore.views)
    sent = 0

    class DiesAfterThirdSend:
        channel = "email"

        async def send(self, n: Notification) -> str:
            nonlocal sent
            if sent >= 3:  # a dead process sends nothing more
                raise Killed
            provider_id = await notifier.send(n)
            sent += 1
            if sent == 3:
                raise Killed
            return provider_id

    doomed = OutboxWorker(mcore.db, {"email": DiesAfterThirdSend()}, clock, concurrency=1)
    with pytest.raises(Killed):
        await doomed.run_once()
    await notifier.aclose()
    assert len(sink.messages) == 3  # sent, but the worker never wrote it down

    survivor = email_worker(mcore)
    assert (await survivor.drain()).claimed == 0  # leased by the dead worker
    clock.advance(minutes=6)
    assert (await survivor.drain()).sent == 8
    clock.advance(hours=1)
    assert (await survivor.drain()).claimed == 0
    ids = Counter(m[NOTIFICATION_HEADER] for m in sink.messages)
    assert len(ids) == 8
    assert max(ids.values()) == 2
    assert sum(ids.values()) <= 8 + 3


async def test_a_few_connections_serve_a_burst(
        mcore: Core, clock: FixedClock, sink: SmtpSink) -> None:
    await place_many(mcore, 10)
    await email_worker(mcore).drain()
    assert len(sink.messages) == 10
    assert 1 <= len(sink._connections) <= SMTP_CONNECTIONS < 10


async def test_the_running_worker_is_woken_by_the_bus(
        mcore: Core, clock: FixedClock, sink: SmtpSink) -> None:
    import asyncio

    from bot.outbox_service import build_worker

    worker = build_worker(mcore)
    worker.poll_interval = 60  # only the wake-up can make it deliver within the test
    await worker.start()
    try:
        await asyncio.sleep(0.2)  # the first round finds nothing and waits
        await mcore.bus.handle(order_command(locale="en"))
        for _ in range(100):
            if sink.messages:
                break
            await asyncio.sleep(0.05)
    finally:
        await worker.stop()
    [msg] = sink.messages
    assert "ORD-000001" in str(msg["Subject"]) + bodies(msg)[0]


SHIPPING_LINE = {"en": "Shipping method: ", "it": "Metodo di spedizione: ",
                 "de": "Versandart: "}


@pytest.mark.parametrize(("name", "locale", "method", "greeting", "shown"), [
    ("Qa Four", "de", "huf", "Hallo Qa,", "HUF post"),
    ("Alan Turing", "en", None, "Hi Alan,", "Standard"),  # the built-in method, named
    ("Rita Levi-Montalcini", "it", "huf", "Ciao Rita,", "HUF post"),
])
async def test_mails_name_the_shipping_method_and_greet_by_first_name(
        mcore: Core, sink: SmtpSink, name: str, locale: str, method: str | None,
        greeting: str, shown: str) -> None:
    """The tester's F17 (CONTRACT §7): every mail that shows the order names its shipping
    method by its name ("HUF post", never the code `huf`) and greets by the first name."""
    await mcore.bus.handle(ic.UpsertShippingMethod("huf", "HUF post", 48, 5,
                                                   prices=(("EUR", Decimal("0.00")),)))
    email = f"{locale}-named@example.com"
    command = order_command(f"WEB-{locale}", email=email, locale=locale,
                            shipping_method=method)
    command = replace(command, customer=replace(command.customer, name=name))
    placed = await mcore.bus.handle(command)
    await mcore.bus.handle(oc.ShipOrder(placed.order_id, "BRT", "TRK-1"))
    await mcore.bus.handle(oc.DeliverOrder(placed.order_id))
    await email_worker(mcore).drain()

    mine = [m for m in sink.messages if m["To"] == email]
    assert len(mine) == 3  # confirmation, shipped, delivered
    for msg in mine:
        text, html = bodies(msg)
        assert text.startswith(greeting), text[:40]
        assert f">{greeting}<" in html
        assert SHIPPING_LINE[locale] + shown in text
        assert SHIPPING_LINE[locale] + shown in html
        assert SHIPPING_LINE[locale] + (method or "standard") not in text
