"""The composing process starts with the delivery worker, before the first mail, and a
batch that comes while it is still starting waits for it instead of being composed (and
the templates compiled) on the event loop's side."""

from __future__ import annotations

import asyncio
import os
import pickle
import random
from collections.abc import AsyncIterator
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pytest

from bot.bootstrap import Core
from bot.delivery import OutboxWorker
from bot.health_notifier import HealthReporting
from bot.lifecycle import Health
from channels.email.compose_pool import ComposePool
from channels.email.compose_worker import COMPOSER_NICENESS, compose_chunk, compose_pickled
from channels.email.jobs import MailJob
from channels.email.notifier import EmailNotifier, build_email_notifier
from domain.clock import FixedClock
from tests.catalog import order_command
from tests.e2e.compose_rig import children, composing_core
from tests.e2e.processes import omsbot_server


@pytest.fixture
async def core(database_url: str, clock: FixedClock) -> AsyncIterator[Core]:
    async with composing_core(database_url, clock) as core:
        yield core


async def place(core: Core, count: int) -> None:
    for i in range(count):
        await core.bus.handle(order_command(f"S-{i}", email=f"s{i}@example.com"))


def notifier_of(core: Core, folder: Path) -> EmailNotifier:
    notifier = build_email_notifier(core.settings, core.views, outbox_dir=folder)
    assert notifier.pool is not None
    return notifier


def counting(pool: ComposePool) -> list[int]:
    """Mails composed by `pool`'s process, counted as they are handed over."""
    handed: list[int] = []
    original = pool.compose

    async def compose(jobs: list[MailJob]) -> list[object]:
        handed.append(len(jobs))
        return list(await original(jobs))

    pool.compose = compose  # type: ignore[assignment,method-assign]
    return handed


async def test_the_worker_starts_the_composing_process_once_ready_before_any_mail(
        core: Core, clock: FixedClock, tmp_path: Path) -> None:
    notifier = notifier_of(core, tmp_path / "out")
    assert notifier.pool is not None and notifier.pool._executor is None
    # wrapped, as `omsbot run` builds it
    wrapped = HealthReporting(notifier, "smtp", Health({"smtp": True}))
    worker = OutboxWorker(core.db, {"email": wrapped}, clock, rng=random.Random(1))
    await worker.start()
    try:
        assert notifier.pool._executor is None  # not during start-up
        await worker.start_notifiers()  # `omsbot run` is ready
        assert notifier.pool._executor is not None  # started, with no mail yet
        assert await notifier.pool.wait_ready(60)
    finally:
        await worker.stop()
    assert notifier.pool._executor is None  # and stopped with the worker


async def test_a_batch_waits_for_a_starting_process_rather_than_composing_here(
        core: Core, clock: FixedClock, tmp_path: Path) -> None:
    await place(core, 6)
    notifier = notifier_of(core, tmp_path / "out")
    assert notifier.pool is not None
    handed = counting(notifier.pool)
    notifier.pool.start()
    assert not notifier.pool.ready  # still importing and compiling
    worker = OutboxWorker(core.db, {"email": notifier}, clock, rng=random.Random(2))
    try:
        assert (await worker.drain()).sent == 6
    finally:
        await worker.stop()
    assert sum(handed) == 6  # every mail composed in the process
    assert not notifier._warm  # the templates were never compiled on this side
    assert len(list((tmp_path / "out").glob("*.eml"))) == 6


async def test_a_pool_that_cannot_start_leaves_the_batch_to_be_composed_here(
        core: Core, clock: FixedClock, tmp_path: Path) -> None:
    await place(core, 2)
    notifier = notifier_of(core, tmp_path / "out")
    assert notifier.pool is not None
    pool = notifier.pool
    pool.start()

    async def never(within: float) -> bool:  # a process that does not come up in time
        await asyncio.sleep(0)
        return False

    pool.wait_ready = never  # type: ignore[method-assign]
    worker = OutboxWorker(core.db, {"email": notifier}, clock, rng=random.Random(3))
    try:
        assert (await worker.drain()).sent == 2
    finally:
        await worker.stop()
    assert notifier._warm  # composed here, templates compiled off the loop first
    assert len(list((tmp_path / "out").glob("*.eml"))) == 2


async def test_wait_ready_is_false_at_once_without_a_pool_and_after_a_failed_start(
        ) -> None:
    pool = ComposePool(1)
    assert not await pool.wait_ready(30)  # never started: no wait
    pool.start()
    try:
        executor = pool._executor
        assert executor is not None
        for process in list(executor._processes.values()):
            process.kill()
        loop = asyncio.get_running_loop()
        began = loop.time()
        assert not await pool.wait_ready(60)  # the failure ends the wait, not the timeout
        assert loop.time() - began < 30
    finally:
        pool.shutdown()


def test_jobs_pickled_by_the_caller_compose_as_jobs_do() -> None:
    jobs = [MailJob("no_such_kind", "en", {}, {})]
    assert compose_pickled(pickle.dumps(jobs)) == compose_chunk(jobs)


async def test_a_process_the_os_refuses_stops_nothing_and_mail_is_composed_here(
        core: Core, clock: FixedClock, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    await place(core, 3)
    notifier = notifier_of(core, tmp_path / "out")
    assert notifier.pool is not None
    spawns = []

    def refused(self: ProcessPoolExecutor, fn: object, /, *args: object) -> None:
        spawns.append(fn)
        raise OSError(11, "Resource temporarily unavailable")  # fork/clone refused

    monkeypatch.setattr(ProcessPoolExecutor, "submit", refused)
    worker = OutboxWorker(core.db, {"email": notifier}, clock, rng=random.Random(4))
    await worker.start()
    await worker.start_notifiers()  # logged, not raised: omsbot goes on taking orders
    try:
        assert notifier.pool._executor is None
        assert (await worker.drain()).sent == 3
        assert (await worker.drain()).sent == 0
    finally:
        await worker.stop()
    assert len(spawns) == 1  # not tried again at each batch: after retry_after
    assert notifier._warm  # composed here
    assert len(list((tmp_path / "out").glob("*.eml"))) == 3


async def test_a_one_off_drain_composes_here_without_spawning_a_process(
        core: Core, clock: FixedClock, tmp_path: Path) -> None:
    await place(core, 2)
    notifier = notifier_of(core, tmp_path / "out")
    assert notifier.pool is not None
    worker = OutboxWorker(core.db, {"email": notifier}, clock, rng=random.Random(5))
    try:
        assert (await worker.drain()).sent == 2  # as `omsbot outbox` or a test drains
        assert notifier.pool._executor is None  # no process for a handful of mails
    finally:
        await worker.stop()
    assert len(list((tmp_path / "out").glob("*.eml"))) == 2


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc")
async def test_omsbot_run_starts_the_composing_process_once_ready(
        database_url: str, tmp_path: Path) -> None:
    async with omsbot_server(database_url, tmp_path, ready_path="/readyz",
                             OMSBOT_JOBS_ENABLED="false",
                             OMSBOT_EMAIL_COMPOSE_PROCESSES="1") as server:
        for _ in range(300):  # no mail at all: it is there for the first one
            if any(b"spawn_main" in Path(f"/proc/{c}/cmdline").read_bytes()
                   for c in children(server.process.pid)):
                return
            await asyncio.sleep(0.1)
    raise AssertionError("omsbot run started no composing process")


async def test_the_composing_process_runs_at_a_lower_cpu_priority() -> None:
    pool = ComposePool(1)
    pool.start()
    try:
        assert await pool.wait_ready(60)
        worker = pool._warm[0].result()  # the warm-up answers with the process id
        assert worker != os.getpid()
        ours = os.getpriority(os.PRIO_PROCESS, 0)
        assert os.getpriority(os.PRIO_PROCESS, worker) == min(19, ours + COMPOSER_NICENESS)
    finally:
        await pool.aclose()
