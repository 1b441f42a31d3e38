"""Mail composed in a worker process (channels/email/compose_pool): the same mail as
composed inline, failures kept per mail, and a dead process costs no mail."""

from __future__ import annotations

import asyncio
import os
import pickle
import random
import signal
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path

import pytest

from bot.bootstrap import Core
from bot.delivery import OutboxWorker
from bot.mail_reading import MailReadingFactory
from channels.email.compose_pool import ComposePool
from channels.email.compose_worker import (
    ComposeFailure,
    NotificationJob,
    ReadAhead,
    Unprepared,
    compose_chunk,
    compose_notifications_pickled,
)
from channels.email.jobs import EmailConfig, MailJob
from channels.email.notifier import EmailNotifier, build_email_notifier
from domain.clock import FixedClock
from domain.notifications import DEAD, SENT, Notification
from storage.outbox import SqlOutboxStore
from storage.uow import SqlUnitOfWork
from tests.catalog import order_command
from tests.conftest import make_settings
from tests.e2e.compose_rig import SENDER, children, composing_core
from tests.e2e.processes import Server, omsbot_server


@pytest.fixture
async def core(database_url: str, clock: FixedClock) -> AsyncIterator[Core]:
    async with composing_core(database_url, clock) as core:
        yield core


async def ready(pool: ComposePool) -> None:
    pool.start()
    for _ in range(600):
        if pool.ready:
            return
        await asyncio.sleep(0.05)
    raise AssertionError("the composing process never became ready")


def mails(folder: Path) -> list[EmailMessage]:
    found = [message_from_bytes(p.read_bytes(), policy=policy.default)
             for p in sorted(folder.glob("*.eml"))]
    return [m for m in found if isinstance(m, EmailMessage)]


def parts(msg: EmailMessage) -> tuple[str, str, str, str | None]:
    text, html = (p.get_content() for p in msg.iter_parts())
    return str(msg["Subject"]), text, html, msg["Reply-To"]


async def place(core: Core, count: int, start: int = 0) -> None:
    for i in range(start, start + count):
        await core.bus.handle(order_command(f"P-{i}", email=f"c{i}@example.com",
                                            locale="it" if i % 2 else "en"))


@pytest.fixture(params=[False, True], ids=["contexts-built-here", "process-reads"])
def reads(request: pytest.FixtureRequest) -> bool:
    """Whether the composing process reads for itself (as in `omsbot run`) or is handed
    contexts built in the delivery worker's process."""
    return bool(request.param)


def notifier_of(core: Core, folder: Path, reads: bool = False) -> EmailNotifier:
    notifier = build_email_notifier(
        core.settings, core.views, outbox_dir=folder,
        reading=MailReadingFactory.of(core.settings) if reads else None)
    assert notifier.pool is not None
    return notifier


async def test_a_batch_composed_in_the_process_reads_as_composed_inline(
        core: Core, clock: FixedClock, tmp_path: Path, reads: bool,
        monkeypatch: pytest.MonkeyPatch) -> None:
    await place(core, 12)
    notifier = notifier_of(core, tmp_path / "out", reads)
    assert notifier.pool is not None
    await ready(notifier.pool)
    worker = OutboxWorker(core.db, {"email": notifier}, clock, rng=random.Random(1))
    handed: list[str] = []
    pool = notifier.pool
    composing, unread = pool.compose, pool.compose_notifications

    async def counting(jobs: list[MailJob]) -> list[object]:
        handed.extend(job.context["customer"]["email"] for job in jobs)
        return list(await composing(jobs))

    async def counting_unread(config: EmailConfig, jobs: list[NotificationJob],
                              ahead: ReadAhead) -> list[object]:
        handed.extend(job.fields["recipient"] for job in jobs)
        return list(await unread(config, jobs, ahead))

    read_here: list[object] = []

    async def no_reads(*args: object) -> object:
        read_here.append(args)
        raise AssertionError("the delivery worker's process read an order")

    monkeypatch.setattr(pool, "compose", counting)
    monkeypatch.setattr(pool, "compose_notifications", counting_unread)
    if reads:  # the composing process reads, through connections of its own
        monkeypatch.setattr(core.views, "orders_by_id", no_reads)
        monkeypatch.setattr(core.views, "order", no_reads)
    try:
        assert (await worker.drain()).sent == 12
    finally:
        await worker.stop()
        monkeypatch.undo()
    assert sorted(handed) == sorted(f"c{i}@example.com" for i in range(12))
    assert read_here == []
    inline = build_email_notifier(make_settings(core.settings.database_url,
                                                email_from=SENDER,
                                                email_compose_processes=0),
                                  core.views)
    assert inline.pool is None
    by_recipient = {str(m["To"]): m for m in mails(tmp_path / "out")}
    sent = await SqlOutboxStore(core.db, clock).listing((SENT,))
    assert len(by_recipient) == len(sent) == 12
    for note in sent:  # subject, text, HTML and Reply-To alike (Message-ID, Date differ)
        assert parts(by_recipient[note.recipient]) == parts(await inline.message(note))


def test_a_failure_comes_back_in_its_place() -> None:
    good = MailJob("link_code", "en", {
        "shop": {"name": "S", "email": "s@shop.example", "public_url": "https://s"},
        "tz": "UTC", "locale": "en", "telegram_link": None,
        "customer": {"email": "a@example.com", "locale": "en", "name": None},
        "code": "123456", "expires_minutes": 15},
        {"sender": SENDER, "to": "a@example.com", "message_id_domain": "shop.example"})
    bad = MailJob("no_such_kind", "en", {}, dict(good.options))
    done = compose_chunk([good, bad, good])
    assert not isinstance(done[0], ComposeFailure) and not isinstance(done[2], ComposeFailure)
    failure = done[1]
    assert isinstance(failure, ComposeFailure) and failure.unexpected
    assert "no_such_kind" in failure.reason
    assert isinstance(failure.error(), RuntimeError)


async def test_a_killed_process_costs_no_mail_and_is_started_again(
        core: Core, clock: FixedClock, tmp_path: Path, reads: bool) -> None:
    notifier = notifier_of(core, tmp_path / "out", reads)
    pool = notifier.pool
    assert pool is not None
    await ready(pool)
    executor = pool._executor
    assert executor is not None
    for pid in list(executor._processes):  # SIGKILL: as the OOM killer would
        os.kill(pid, signal.SIGKILL)
    await place(core, 5)
    worker = OutboxWorker(core.db, {"email": notifier}, clock, rng=random.Random(2))
    try:
        assert (await worker.drain()).sent == 5  # composed inline once it was found dead
        assert pool._executor is None
        await place(core, 3, start=5)
        assert (await worker.drain()).sent == 3  # by a new process, waited for
        assert pool._executor is not None
        await ready(pool)
        await place(core, 2, start=8)
        assert (await worker.drain()).sent == 2
    finally:
        await worker.stop()
    assert len(mails(tmp_path / "out")) == 10
    assert pool._executor is None  # stopped with the worker


async def test_a_mail_that_cannot_be_composed_is_dead_the_others_go(
        core: Core, clock: FixedClock, tmp_path: Path, reads: bool) -> None:
    """Read for in the process, the missing order comes back `Unprepared`: this process
    reads again and reports it as inline composition does (dead, not retried)."""
    await place(core, 3)
    now = clock.now()
    async with SqlUnitOfWork(core.db) as uow:  # an order that does not exist
        await uow.outbox.add(Notification("email", "order_confirmation", "x@example.com",
                                          {"order_id": 999}, now, now, order_id=None))
        await uow.commit()
    notifier = notifier_of(core, tmp_path / "out", reads)
    assert notifier.pool is not None
    await ready(notifier.pool)
    worker = OutboxWorker(core.db, {"email": notifier}, clock, rng=random.Random(3))
    try:
        counts = await worker.drain()
    finally:
        await worker.stop()
    assert (counts.sent, counts.dead) == (3, 1)
    dead = await SqlOutboxStore(core.db, clock).listing((DEAD,))
    assert [n.recipient for n in dead] == ["x@example.com"]
    assert len(mails(tmp_path / "out")) == 3


def test_a_process_without_read_access_hands_every_notification_back() -> None:
    config = EmailConfig(SENDER, "reply.shop.example", b"k" * 32, "https://shop.example")
    note = Notification("email", "order_confirmation", "a@example.com", {"order_id": 1},
                        datetime(2026, 11, 24, tzinfo=UTC), datetime(2026, 11, 24, tzinfo=UTC),
                        id=7)
    done = compose_notifications_pickled(pickle.dumps(
        (config, [NotificationJob.of(note)] * 2, ReadAhead(1))))
    assert done == [Unprepared("this process has no read access")] * 2


def _alive(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


async def _composer_of(server: Server, tmp_path: Path) -> list[int]:
    """The composing process of `server`, once it has written a mail."""
    for _ in range(300):  # started with the delivery worker; wait for its first mail
        composer = [c for c in children(server.process.pid)
                    if b"spawn_main" in Path(f"/proc/{c}/cmdline").read_bytes()]
        if composer and next((tmp_path / "var" / "outbox").glob("*.eml"), None):
            return composer
        await asyncio.sleep(0.1)
    raise AssertionError("no composing process started")


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc")
async def test_ctrl_c_stops_omsbot_and_its_composing_process_quietly(
        core: Core, database_url: str, tmp_path: Path) -> None:
    """Ctrl-C signals the whole foreground group: the composing process ignores it and
    ends when omsbot stops it; no traceback."""
    await place(core, 2)
    async with omsbot_server(database_url, tmp_path, ready_path="/readyz",
                             OMSBOT_JOBS_ENABLED="false",
                             OMSBOT_EMAIL_COMPOSE_PROCESSES="1") as server:
        composer = await _composer_of(server, tmp_path)
        for pid in (*composer, server.process.pid):  # as the terminal does
            os.kill(pid, signal.SIGINT)
        await asyncio.wait_for(server.process.wait(), 30)
        for _ in range(100):
            if not any(_alive(c) for c in composer):
                break
            await asyncio.sleep(0.1)
        assert not any(_alive(c) for c in composer)
        assert server.process.returncode == 0
        assert "Traceback" not in server.output(), server.output()


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc")
async def test_the_composing_process_ends_with_a_killed_omsbot(
        core: Core, database_url: str, tmp_path: Path) -> None:
    await place(core, 3)
    async with omsbot_server(database_url, tmp_path, ready_path="/readyz",
                             OMSBOT_JOBS_ENABLED="false",
                             OMSBOT_EMAIL_COMPOSE_PROCESSES="1") as server:
        composer = await _composer_of(server, tmp_path)
        server.process.send_signal(signal.SIGKILL)
        await server.process.wait()
        for _ in range(100):
            if not any(_alive(c) for c in composer):
                break
            await asyncio.sleep(0.1)
        assert not any(_alive(c) for c in composer), "the composing process outlived omsbot"


def _ignores_sigint(pid: int) -> bool:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("SigIgn:"):
            return bool(int(line.split()[1], 16) & (1 << (signal.SIGINT - 1)))
    raise AssertionError("no SigIgn line")


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="reads /proc")
async def test_every_composing_process_starts_at_once_ignoring_ctrl_c() -> None:
    pool = ComposePool(2)
    try:
        pool.start()
        executor = pool._executor
        assert executor is not None
        pids = list(executor._processes)
        assert len(pids) == 2  # not one now and one later, outside the Ctrl-C guard
        assert all(_ignores_sigint(pid) for pid in pids)
        await ready(pool)
    finally:
        pool.shutdown()


async def test_a_process_that_dies_while_starting_is_started_again() -> None:
    pool = ComposePool(1, retry_after=0)
    try:
        pool.start()
        executor = pool._executor
        assert executor is not None
        for pid in list(executor._processes):
            os.kill(pid, signal.SIGKILL)
        for _ in range(300):  # its warm-up fails once the death is noticed
            if pool._failed() is not None:
                break
            await asyncio.sleep(0.05)
        assert not pool.ready and pool._failed() is not None
        await ready(pool)  # start() drops the dead pool and starts another
        assert pool._executor is not executor
        done = await pool.compose([])
        assert done == []
    finally:
        pool.shutdown()
