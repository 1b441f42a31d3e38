"""Pushed order updates, re-delivered updates and the webhook's secret."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import date

import pytest

from channels.telegram.limiter import SendLimiter
from channels.telegram.notifier import TelegramNotifier, build_telegram_notifier
from domain.clock import FixedClock
from domain.notifications import DeliveryFailed
from domain.orders import commands as oc
from storage.chat_views import SqlChatDirectory
from tests.catalog import order_command, small_shop
from tests.e2e.telegram_rig import Rig, running_rig

BOB = 7002


async def linked_shop(rig: Rig) -> None:
    await small_shop(rig.core.bus)
    await rig.core.bus.handle(order_command("WEB-2", email="bob@example.com", locale="en"))
    await rig.send(BOB, "/link bob@example.com")
    code = (await rig.notifications(kind="link_code"))[-1].payload["code"]
    await rig.send(BOB, f"/code {code}")


@pytest.fixture
async def rig(database_url: str, clock: FixedClock) -> AsyncIterator[Rig]:
    async with running_rig(database_url, clock, "polling") as rig:
        await linked_shop(rig)
        yield rig


@pytest.fixture
async def hook(database_url: str, clock: FixedClock) -> AsyncIterator[Rig]:
    async with running_rig(database_url, clock, "webhook") as rig:
        yield rig


class Naps:
    """The limiter's sleeps, recorded instead of slept."""

    def __init__(self) -> None:
        self.taken: list[float] = []
        self.now = 1000.0

    def clock(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.taken.append(seconds)
        self.now += seconds


@pytest.fixture
def naps() -> Naps:
    return Naps()


@pytest.fixture
async def notifier(rig: Rig, naps: Naps) -> AsyncIterator[TelegramNotifier]:
    limiter = SendLimiter(clock=naps.clock, sleep=naps.sleep)
    built = build_telegram_notifier(rig.core.settings, rig.core.bus, rig.core.views, limiter)
    assert built is not None
    yield built
    await built.close()


async def test_shipment_is_pushed_to_the_linked_chat(rig: Rig, notifier: TelegramNotifier
                                                     ) -> None:
    await rig.core.bus.handle(oc.ShipOrder(1, "BRT", "BRT-42", eta=date(2026, 11, 27)))
    [note] = await rig.notifications(channel="telegram")

    message_id = await notifier.send(note)

    pushed = rig.last(BOB)
    assert (note.kind, note.recipient) == ("order_shipped", str(BOB))
    assert message_id == str(pushed["message_id"])
    assert "ORD-000001</b> has shipped" in pushed["text"] and "BRT-42" in pushed["text"]


async def test_out_for_delivery_delivered_and_delay_in_the_chats_language(
        rig: Rig, notifier: TelegramNotifier) -> None:
    await rig.send(BOB, "/language it")
    await rig.core.bus.handle(oc.ShipOrder(1, "BRT", "BRT-42"))
    await rig.core.bus.handle(oc.RecordTrackingEvent("BRT-42", "out_for_delivery"))
    await rig.core.bus.handle(oc.DeliverOrder(1))
    notes = await rig.notifications(channel="telegram")

    texts = [rig.last(BOB)["text"] for note in notes if await notifier.send(note)]

    assert [n.kind for n in notes] == ["order_shipped", "order_out_for_delivery",
                                       "order_delivered"]
    assert "è stato spedito" in texts[0] and "BRT-42" in texts[1]
    assert "ORD-000001" in texts[2]


async def test_429_is_retried_after_then_delivered(rig: Rig, notifier: TelegramNotifier,
                                                   naps: Naps) -> None:
    await rig.core.bus.handle(oc.ShipOrder(1, "BRT", "BRT-42"))
    [note] = await rig.notifications(channel="telegram")
    rig.api.fail_next("sendMessage", status=429, retry_after=3)
    before = len(rig.api.sent_messages(BOB))

    with pytest.raises(DeliveryFailed) as failed:
        await notifier.send(note)
    await notifier.aclose()  # the worker closes connections after each burst
    message_id = await notifier.send(note)

    assert (failed.value.retry_after, failed.value.permanent) == (3, False)
    assert sum(naps.taken) == pytest.approx(3)  # the limiter honoured retry_after too
    assert len(rig.api.sent_messages(BOB)) == before + 1
    assert message_id == str(rig.last(BOB)["message_id"])


async def test_403_marks_the_chat_unreachable(rig: Rig, notifier: TelegramNotifier) -> None:
    await rig.core.bus.handle(oc.ShipOrder(1, "BRT", "BRT-42"))
    [note] = await rig.notifications(channel="telegram")
    rig.api.block_chat(BOB)

    with pytest.raises(DeliveryFailed) as failed:
        await notifier.send(note)
    await rig.core.bus.handle(oc.DeliverOrder(1))

    assert failed.value.permanent
    profile = await SqlChatDirectory(rig.core.db).chat(BOB)
    assert profile is not None and profile.unreachable
    assert [n.kind for n in await rig.notifications(channel="telegram")] == ["order_shipped"]
    assert [n.kind for n in await rig.notifications(channel="email")][-1] == "order_delivered"


async def test_a_chat_that_writes_again_is_reachable_again(rig: Rig,
                                                          notifier: TelegramNotifier) -> None:
    await rig.core.bus.handle(oc.ShipOrder(1, "BRT", "BRT-42"))
    rig.api.block_chat(BOB)
    with pytest.raises(DeliveryFailed):
        await notifier.send((await rig.notifications(channel="telegram"))[0])
    rig.api.unblock_chat(BOB)

    await rig.send(BOB, "/help")

    profile = await SqlChatDirectory(rig.core.db).chat(BOB)
    assert profile is not None and not profile.unreachable


async def test_a_redelivered_update_has_no_second_effect(hook: Rig) -> None:
    await small_shop(hook.core.bus)
    await hook.core.bus.handle(order_command("WEB-2", email="bob@example.com", locale="en"))
    update = hook.api.make_message_update(BOB, "/link bob@example.com")

    assert await hook.post(update) == 200
    assert await hook.post(update) == 200  # Telegram re-sends what it got no answer for

    assert len(hook.api.sent_messages(BOB)) == 1
    assert len(await hook.notifications(kind="link_code")) == 1


@pytest.mark.parametrize("secret", [None, "", "wrong-secret"])
async def test_the_webhook_needs_its_secret(hook: Rig, secret: str | None) -> None:
    update = hook.api.make_message_update(BOB, "/start")

    assert await hook.post(update, secret=secret) == 401
    assert hook.api.sent_messages(BOB) == []
    assert hook.api.webhook_url.endswith("/telegram/webhook")


async def test_the_runtime_runs_telegram_only_when_configured(database_url: str) -> None:
    from bot.runtime import Runtime
    from bot.telegram import telegram_link_factory, telegram_notifier
    from tests.conftest import make_settings
    from tests.e2e.telegram_rig import SECRET, TOKEN

    runtimes = [Runtime(make_settings(database_url, **extra)) for extra in (
        {}, {"telegram_token": TOKEN},
        {"telegram_token": TOKEN, "telegram_webhook_secret": SECRET})]
    try:
        names = [[s.name for s in r.services if s.name.startswith("telegram")]
                 for r in runtimes]
        routes = [any(res.canonical == "/telegram/webhook" for res in r.app.router.resources())
                  for r in runtimes]
    finally:
        for runtime in runtimes:
            await runtime.core.close()

    assert names == [[], ["telegram-polling"], ["telegram-webhook"]]
    assert routes == [False, False, True]
    assert [telegram_notifier(r.core) is None for r in runtimes] == [True, False, False]
    assert [telegram_link_factory(r.core) is None for r in runtimes] == [True, False, False]


async def test_a_partial_shipment_names_the_parcel_that_left(rig: Rig,
                                                             notifier: TelegramNotifier) -> None:
    await rig.core.bus.handle(order_command("WEB-3", email="bob@example.com", locale="en",
                                            lines=(("TEA-01", 1), ("MUG-01", 1))))
    await rig.core.bus.handle(oc.ShipOrder(2, "GLS", "GLS-7", warehouse="MIL"))  # not last
    [note] = await rig.notifications(channel="telegram")

    await notifier.send(note)

    text = rig.last(BOB)["text"]
    assert "GLS-7" in text and "None" not in text


async def test_a_shipment_reaches_the_linked_chat_through_the_delivery_worker(
    rig: Rig, clock: FixedClock, tmp_path: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The whole way: the change, the stored notifications, the worker, the Bot API (and
    the e-mail beside it), with Telegram rate-limiting the first try."""
    from bot.outbox_service import build_worker

    monkeypatch.chdir(tmp_path)  # type: ignore[arg-type]  # .eml files land in var/outbox
    worker = build_worker(rig.core)
    await worker.drain()  # what linking already stored (the code e-mail, confirmations)
    before = len(rig.api.sent_messages(BOB))
    rig.api.fail_next("sendMessage", status=429, retry_after=1)
    await rig.core.bus.handle(oc.ShipOrder(1, "BRT", "BRT-777"))

    first = await worker.drain()
    assert first.retried == 1 and first.sent == 1  # Telegram said 429; the e-mail went
    clock.advance(minutes=5)
    second = await worker.drain()
    assert second.sent == 1
    pushed = rig.api.sent_messages(BOB)[before:]
    assert len(pushed) == 1 and "BRT-777" in pushed[0]["text"]
    clock.advance(hours=1)
    assert (await worker.drain()).claimed == 0
