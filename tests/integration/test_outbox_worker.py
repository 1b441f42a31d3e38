"""The delivery worker over the real database (SQLite and PostgreSQL), with fake notifiers."""

from __future__ import annotations

import asyncio
import random
from collections import Counter
from datetime import timedelta

import pytest

from bot.bootstrap import Core
from bot.delivery import OutboxWorker, RetryPolicy
from domain.clock import FixedClock
from domain.notifications import DEAD, PENDING, SENT, DeliveryFailed, Notification
from storage.engine import Database
from storage.outbox import DELIVERY_FAILED, SqlOutboxStore
from storage.uow import SqlUnitOfWork


class RecordingNotifier:
    """Delivers by remembering; `failures` are raised first, one per send."""

    def __init__(self, channel: str = "email", failures: list[DeliveryFailed] | None = None,
                 pause: float = 0.0) -> None:
        self.channel = channel
        self.failures = list(failures or [])
        self.sent: list[int] = []
        self.pause = pause

    async def send(self, notification: Notification) -> str:
        if self.pause:
            await asyncio.sleep(self.pause)
        if self.failures:
            raise self.failures.pop(0)
        assert notification.id is not None
        self.sent.append(notification.id)
        return f"provider-{notification.id}"


def note(clock: FixedClock, channel: str = "email", recipient: str = "ada@example.com",
         *, due_in: timedelta = timedelta(0), kind: str = "order_confirmation") -> Notification:
    now = clock.now()
    return Notification(channel=channel, kind=kind, recipient=recipient, payload={},
                        created_at=now, next_attempt_at=now + due_in)


async def store(db: Database, *notes: Notification) -> list[int]:
    async with SqlUnitOfWork(db) as uow:
        for n in notes:
            assert await uow.outbox.add(n)
        await uow.commit()
    return [n.id for n in notes if n.id is not None]


async def rows(core: Core) -> dict[int, Notification]:
    found = await SqlOutboxStore(core.db, core.clock).listing((PENDING, SENT, DEAD))
    return {n.id: n for n in found if n.id is not None}


def worker(core: Core, notifier: RecordingNotifier, **options: object) -> OutboxWorker:
    return OutboxWorker(core.db, {notifier.channel: notifier}, core.clock,
                        rng=random.Random(7), **options)  # type: ignore[arg-type]


async def test_delivers_due_rows_and_leaves_unconfigured_channels_alone(
        core: Core, clock: FixedClock) -> None:
    due = await store(core.db, note(clock), note(clock, recipient="bob@example.com"))
    [slack] = await store(core.db, note(clock, "slack", "staff", kind="vip_order"))
    [later] = await store(core.db, note(clock, due_in=timedelta(hours=1)))
    email = RecordingNotifier()

    counts = await worker(core, email).run_once()

    assert (counts.claimed, counts.sent, counts.retried, counts.dead) == (2, 2, 0, 0)
    assert sorted(email.sent) == due
    found = await rows(core)
    for nid in due:
        assert found[nid].status == SENT
        assert found[nid].provider_message_id == f"provider-{nid}"
        assert found[nid].sent_at == clock.now()
    # no notifier for slack: pending, no attempt spent; the later one is not due yet
    assert (found[slack].status, found[slack].attempts) == (PENDING, 0)
    assert (found[later].status, found[later].attempts) == (PENDING, 0)
    assert (await worker(core, email).run_once()).claimed == 0


async def test_failure_is_retried_with_back_off_and_honours_retry_after(
        core: Core, clock: FixedClock) -> None:
    first, second = await store(core.db, note(clock), note(clock, recipient="b@example.com"))
    email = RecordingNotifier(failures=[DeliveryFailed("busy", retry_after=600),
                                        DeliveryFailed("451 try later")])
    w = worker(core, email, concurrency=1)
    assert (await w.run_once()).retried == 2
    found = await rows(core)
    waits = sorted((found[n].next_attempt_at - clock.now()).total_seconds()
                   for n in (first, second))
    assert 7.5 <= waits[0] <= 15  # first back-off step: 15 s, half of it jitter
    assert waits[1] == pytest.approx(600)  # the channel asked for ten minutes
    assert {found[n].last_error for n in (first, second)} == {"busy", "451 try later"}
    assert all(found[n].attempts == 1 and found[n].status == PENDING for n in (first, second))

    assert (await w.run_once()).claimed == 0  # not due yet
    clock.advance(minutes=11)
    assert (await w.run_once()).sent == 2
    assert sorted(email.sent) == [first, second]


async def test_back_off_grows_exponentially_up_to_a_cap() -> None:
    policy = RetryPolicy(base=timedelta(seconds=10), cap=timedelta(minutes=5))
    rng = random.Random(1)
    delays = [policy.delay(n, None, rng).total_seconds() for n in range(1, 10)]
    for attempt, seconds in enumerate(delays, start=1):
        full = min(300, 10 * 2 ** (attempt - 1))
        assert full / 2 <= seconds <= full
    assert policy.delay(1, 10**9, rng) == policy.max_retry_after


async def test_last_attempt_marks_dead_and_alerts_staff_once(
        core: Core, clock: FixedClock) -> None:
    [nid] = await store(core.db, note(clock))
    email = RecordingNotifier(failures=[DeliveryFailed("down")] * 10)
    w = worker(core, email, policy=RetryPolicy(max_attempts=3))
    for _ in range(3):
        await w.run_once()
        clock.advance(hours=2)
    found = await rows(core)
    assert (found[nid].status, found[nid].attempts, found[nid].last_error) == (DEAD, 3, "down")
    alerts = [n for n in found.values() if n.kind == DELIVERY_FAILED]
    assert len(alerts) == 1
    assert (alerts[0].channel, alerts[0].recipient) == ("slack", "staff")
    assert alerts[0].payload["notification_id"] == nid
    assert "order_confirmation" in alerts[0].payload["text"]
    assert (await w.run_once()).claimed == 0  # dead rows are not claimed again


async def test_permanent_failure_is_dead_at_once(core: Core, clock: FixedClock) -> None:
    [nid] = await store(core.db, note(clock))
    email = RecordingNotifier(failures=[DeliveryFailed("550 no such user", permanent=True)])
    assert (await worker(core, email).run_once()).dead == 1
    assert (await rows(core))[nid].status == DEAD


async def test_an_expired_lease_makes_a_crashed_workers_rows_due_again(
        core: Core, clock: FixedClock) -> None:
    [nid] = await store(core.db, note(clock))
    outbox = SqlOutboxStore(core.db, clock)
    [claimed] = await outbox.claim({"email"}, 10, timedelta(minutes=5))
    assert claimed.id == nid  # ... and the worker holding it dies here
    email = RecordingNotifier()
    assert (await worker(core, email).run_once()).claimed == 0  # leased: nobody else sends
    clock.advance(minutes=6)
    assert (await worker(core, email).run_once()).sent == 1
    found = (await rows(core))[nid]
    assert (found.status, found.attempts) == (SENT, 2)


async def test_dead_rows_can_be_requeued(core: Core, clock: FixedClock) -> None:
    ids = await store(core.db, note(clock), note(clock, recipient="b@example.com"))
    failing = RecordingNotifier(failures=[DeliveryFailed("bad", permanent=True)] * 2)
    await worker(core, failing).run_once()
    outbox = SqlOutboxStore(core.db, clock)
    assert await outbox.requeue_dead(ids[0]) == 1
    assert await outbox.requeue_dead(ids[0]) == 0  # pending now, not dead
    email = RecordingNotifier()
    assert (await worker(core, email).run_once()).sent == 1
    assert await outbox.requeue_dead() == 1
    await worker(core, email).run_once()
    assert sorted(email.sent) == ids
    assert all(n.status == SENT for n in (await rows(core)).values()
               if n.kind != DELIVERY_FAILED)


async def test_two_workers_never_send_the_same_row(
        core: Core, clock: FixedClock, database_url: str) -> None:
    ids = await store(core.db, *(note(clock, recipient=f"c{i}@example.com")
                                 for i in range(240)))
    other_db = Database(database_url)  # a second process, as far as the database knows
    try:
        a, b = RecordingNotifier(pause=0.001), RecordingNotifier(pause=0.001)
        wa = OutboxWorker(core.db, {"email": a}, clock, batch_size=15)
        wb = OutboxWorker(other_db, {"email": b}, clock, batch_size=15)
        await asyncio.gather(wa.drain(), wb.drain())
    finally:
        await other_db.dispose()
    counts = Counter(a.sent + b.sent)
    assert sorted(counts) == ids
    assert max(counts.values()) == 1
    assert a.sent and b.sent  # both did share the work
    assert all(n.status == SENT for n in (await rows(core)).values())


async def test_start_reports_notifications_waiting_for_an_unconfigured_channel(
        core: Core, clock: FixedClock, caplog: pytest.LogCaptureFixture) -> None:
    await store(core.db, note(clock, "slack", "staff"), note(clock, "slack", "staff"))
    w = worker(core, RecordingNotifier(), poll_interval=0.01)
    with caplog.at_level("WARNING", logger="bot.delivery"):
        await w.start()
        await w.stop()
    assert "2 slack notification(s) wait for that channel to be configured" in caplog.text
    assert all(n.status == PENDING and n.attempts == 0 for n in (await rows(core)).values())
