"""The alerts-channel notifier against the fake Slack Web API, on stored notifications."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from dataclasses import dataclass

import pytest
from sqlalchemy import select

from bot.bootstrap import Core, build_core
from bot.slack import build_slack_notifier
from domain.clock import FixedClock
from domain.notifications import DeliveryFailed, Notification, Notifier
from domain.texts import N_, Number, Text, to_data
from storage import orm
from tests.catalog import order_command, small_shop
from tests.conftest import NOW, make_settings
from tests.doubles import FakeSlackAPI
from tests.e2e.slack_harness import buttons, delivered_order_with_return

ALERTS = "CALERTS"


@dataclass
class Alerts:
    core: Core
    slack: FakeSlackAPI
    notifier: Notifier

    async def stored(self, kind: str) -> Notification:
        async with self.core.db.read_sessions() as s:
            found = (await s.scalars(select(Notification).where(
                orm.notifications.c.kind == kind))).first()
        assert found is not None, f"no {kind} notification stored"
        return found


@pytest.fixture
async def alerts(database_url: str, clock: FixedClock) -> AsyncIterator[Alerts]:
    async with FakeSlackAPI() as slack:
        settings = make_settings(database_url, slack_bot_token="xoxb-test",
                                 slack_signing_secret="s", slack_api_url=await slack.start(),
                                 slack_alerts_channel=ALERTS)
        core = build_core(settings, clock=clock)
        await small_shop(core.bus)
        notifier = build_slack_notifier(settings, core.views)
        assert notifier is not None
        try:
            yield Alerts(core, slack, notifier)
        finally:
            await core.close()


def note(kind: str, **payload: object) -> Notification:
    return Notification("slack", kind, "staff", dict(payload), NOW, NOW)


async def test_a_vip_order_is_posted_with_its_buttons(alerts: Alerts) -> None:
    await alerts.core.bus.handle(order_command(flags=("vip",)))

    ts = await alerts.notifier.send(await alerts.stored("vip_order"))

    [posted] = alerts.slack.messages(ALERTS)
    assert ts == posted["ts"]
    assert posted["text"].startswith(":star: New VIP order *ORD-000001* from Ada Lovelace")
    assert buttons(posted) == [("order_ship", "1:confirmed"), ("order_hold", "1:confirmed"),
                               ("order_cancel", "1:confirmed")]


async def test_a_return_request_offers_approve_and_reject(alerts: Alerts) -> None:
    await delivered_order_with_return(alerts.core)

    await alerts.notifier.send(await alerts.stored("return_requested"))

    [posted] = alerts.slack.messages(ALERTS)
    assert "Return *RMA-000001* requested for *ORD-000001* (api): “too small”" in posted["text"]
    assert buttons(posted) == [("return_approve", "1:requested"),
                               ("return_reject", "1:requested")]


@pytest.mark.parametrize(("kind", "payload", "expected"), [
    ("order_backordered", {"order_id": 7, "skus": ["MUG-01"]}, "*ORD-000007* is back-ordered"),
    ("order_delayed", {"order_id": 7, "stage": "ship", "new_estimate": "2026-11-30"},
     "*ORD-000007* is late to ship; new estimate Nov 30, 2026."),
    ("shipment_problem", {"order_id": 7, "shipment_id": 1, "detail": "address <unknown>"},
     "Delivery problem on *ORD-000007*: address &lt;unknown&gt;"),
    ("low_rating", {"order_id": 7, "rating": 1}, "*ORD-000007* was rated 1/5"),
    ("customer_message", {"sender": "ada@example.com", "subject": "Where is it?",
                          "text": "Hello\nany news?", "order_id": 7, "problem": None},
     "Message from ada@example.com about *ORD-000007*: *Where is it?*\n> Hello\n> any news?"),
    ("low_stock", {"text": "MUG-01 at MIL is low: 3 left", "sku": "MUG-01"},
     ":bell: MUG-01 at MIL is low: 3 left"),
])
async def test_each_staff_kind_is_rendered(alerts: Alerts, kind: str, payload: dict[str, object],
                                           expected: str) -> None:
    await alerts.notifier.send(note(kind, **payload))

    [posted] = alerts.slack.messages(ALERTS)
    assert expected in posted["text"]
    assert buttons(posted) == []  # no such order in this shop: no buttons to offer


async def test_a_customer_message_is_said_in_the_staff_language(
        database_url: str, clock: FixedClock) -> None:
    async with FakeSlackAPI() as slack:
        settings = make_settings(database_url, slack_bot_token="xoxb-test",
                                 slack_signing_secret="s", slack_api_url=await slack.start(),
                                 slack_alerts_channel=ALERTS, staff_locale="de")
        core = build_core(settings, clock=clock)
        notifier = build_slack_notifier(settings, core.views)
        assert notifier is not None
        too_large = Text.of(N_("Not read: the message has %(size)s bytes, above the limit of "
                               "%(limit)s bytes (OMSBOT_INBOUND_MAX_BYTES). A customer we know "
                               "was asked to send fewer or smaller files."),
                            size=Number(30_000_000), limit=Number(26_214_400))
        try:
            await notifier.send(note("customer_message", sender="jm@example.de",
                                     sender_name="Müller, Jürgen", subject="Foto", text="",
                                     order_id=None, problem="too_large",
                                     note=to_data(too_large)))
        finally:
            await core.close()

    [posted] = slack.messages(ALERTS)
    assert posted["text"] == (
        ":email: Abgelehnte Nachricht (zu groß) von Müller, Jürgen &lt;jm@example.de&gt;: "
        "*Foto*\n:information_source: Nicht gelesen: Die Nachricht hat 30.000.000 Bytes, über "
        "der Grenze von 26.214.400 Bytes (OMSBOT_INBOUND_MAX_BYTES). Ein uns bekannter Kunde "
        "wurde gebeten, weniger oder kleinere Dateien zu senden.")


async def test_a_429_is_honoured_then_reported_with_retry_after(alerts: Alerts) -> None:
    alerts.slack.fail_next("chat.postMessage", retry_after=1)
    started = time.monotonic()

    await alerts.notifier.send(note("low_stock", text="once"))

    assert time.monotonic() - started >= 1.0  # slack_sdk waited as Slack asked
    assert len(alerts.slack.calls_to("chat.postMessage")) == 2
    alerts.slack.fail_next("chat.postMessage", retry_after=2, times=3)
    with pytest.raises(DeliveryFailed) as failed:
        await alerts.notifier.send(note("low_stock", text="twice"))
    assert (failed.value.retry_after, failed.value.permanent) == (2.0, False)


async def test_auth_errors_are_permanent_and_outages_are_not(alerts: Alerts) -> None:
    alerts.slack.fail_next("chat.postMessage", status=200, error="invalid_auth")
    with pytest.raises(DeliveryFailed) as auth:
        await alerts.notifier.send(note("low_stock", text="x"))
    alerts.slack.down("chat.postMessage", times=5)
    with pytest.raises(DeliveryFailed) as down:
        await alerts.notifier.send(note("low_stock", text="x"))

    assert auth.value.permanent is True and "invalid_auth" in auth.value.reason
    assert down.value.permanent is False and down.value.retry_after is None


def test_no_notifier_without_a_token_or_an_alerts_channel() -> None:
    assert build_slack_notifier(make_settings("sqlite+aiosqlite:///x.db")) is None
    assert build_slack_notifier(make_settings(
        "sqlite+aiosqlite:///x.db", slack_bot_token="xoxb-1", slack_signing_secret="s")) is None


async def test_a_low_stock_alert_offers_to_approve_its_draft_po(alerts: Alerts) -> None:
    from domain.automation.commands import CheckLowStock

    await alerts.core.bus.handle(order_command(lines=(("MUG-01", 96),)))  # 4 left, point is 5
    await alerts.core.bus.handle(CheckLowStock())

    await alerts.notifier.send(await alerts.stored("low_stock"))

    [posted] = alerts.slack.messages(ALERTS)
    assert "MUG-01" in posted["text"] and "*PO-000001* · draft · 50 × `MUG-01`" in posted["text"]
    assert buttons(posted) == [("po_approve", "1:draft")]
