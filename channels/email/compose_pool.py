"""Composing mails in a worker process, beside the event loop.

Rendering a customer mail (three Jinja templates, Babel formats, MIME assembly) costs about
a millisecond of CPU. On the event loop that is a millisecond in which no order is taken:
with confirmations composed inline, a process taking orders at full speed took about half
as many (bench/intake.py, "delivering too"). Here the delivery worker hands each batch's
render contexts (plain data: dicts, strings, Decimals, datetimes) to one spawned process
and awaits the finished bytes, so composition runs on another core while the loop goes on
taking orders. Given read access of its own (`reading`, which `omsbot run` gives), the
process takes the stored notifications as they are and reads their orders itself: reading
and building the contexts of a batch cost the loop about as much again as the composing
(bench/intake.py on PostgreSQL, delivering too: 0.35 ms of the loop's CPU per mail).

The worker process is started with the long-running delivery worker (`omsbot run`), in the
background, and composes once it has answered a warm-up (templates compiled, catalogues
loaded). A batch that comes while it is still starting waits for it (a few seconds at
most); when it cannot start, and whenever it has died, mails are composed inline as before.
A one-off drain (a command, a test) that never started it composes inline: a process is
not worth spawning for a handful of mails. A mail it cannot compose comes
back as a `ComposeFailure` and is retried or dropped exactly as an inline failure is.

The standard library's `concurrent.futures.ProcessPoolExecutor` runs the process (spawn:
no fork of a process holding threads and sockets).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import multiprocessing
import pickle
import signal
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import TypeVar

from channels.email.compose_worker import (
    Composed,
    NotificationJob,
    ReadAhead,
    ReadingFactory,
    Unprepared,
    compose_notifications_pickled,
    compose_pickled,
    initialize_process,
    process_id,
)
from channels.email.jobs import EmailConfig, MailJob

log = logging.getLogger(__name__)
_T = TypeVar("_T")


@contextlib.contextmanager
def _sigint_ignored_by_children() -> Iterator[None]:
    """Processes started inside ignore SIGINT from their first instruction (an ignored
    signal stays ignored across exec, and Python keeps it so): a Ctrl-C while one is still
    importing must not kill it with a traceback. This process holds the signal back
    meanwhile (blocked, so on Linux it stays pending, not lost) and gets it after."""
    if threading.current_thread() is not threading.main_thread():
        yield  # only the main thread may change handlers; omsbot starts it from there
        return
    held = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    handler = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, handler if handler is not None else signal.SIG_DFL)
        signal.pthread_sigmask(signal.SIG_SETMASK, held)


class ComposePool:
    """`processes` worker processes composing mails (0: none, always inline).

    All of them are started at once by `start` (so each ignores Ctrl-C from the start);
    a pool whose processes died, or never finished starting, is dropped and started again
    by a later `start`, no sooner than `retry_after` seconds after it was started."""

    def __init__(self, processes: int = 1, *, retry_after: float = 30.0,
                 reading: ReadingFactory | None = None) -> None:
        """`reading`: the processes open read access of their own with it, and then
        take stored notifications as they are (`compose_notifications`)."""
        self.processes = processes
        self.retry_after = retry_after
        self.reading = reading
        self._executor: ProcessPoolExecutor | None = None
        self._warm: list[Future[int]] = []
        self._started_at = 0.0
        self._refused = False  # the last start raised: tried again after `retry_after`
        self.wanted = False  # started (by `start`) and not shut down since

    @property
    def ready(self) -> bool:
        """Started and warmed up: a batch handed over now is composed at once."""
        return (self._executor is not None and bool(self._warm)
                and all(w.done() and not w.cancelled() and w.exception() is None
                        for w in self._warm))

    def _failed(self) -> BaseException | None:
        """Why the running pool cannot compose (a process died while starting), if so."""
        for warm in self._warm:
            if warm.cancelled():
                return BrokenProcessPool("cancelled")
            if warm.done() and warm.exception() is not None:
                return warm.exception()
        return None

    def start(self) -> None:
        """Start the processes in the background (no wait); `ready` says when they are.
        Raises what starting a process raises (OSError when the OS refuses one)."""
        if self.processes <= 0:
            return
        self.wanted = True
        if self._refused and self._too_soon():
            return
        if self._executor is not None:
            failure = self._failed()
            if failure is None or self._too_soon():
                return
            log.warning("the mail composing process did not start (%s); starting another",
                        str(failure) or type(failure).__name__)
            self._drop(self._executor)
        self._started_at = time.monotonic()
        with _sigint_ignored_by_children():
            executor = ProcessPoolExecutor(
                max_workers=self.processes, mp_context=multiprocessing.get_context("spawn"),
                initializer=initialize_process, initargs=(self.reading,))
            try:  # one warm-up each, submitted together: each starts a process, all now
                self._warm = [executor.submit(process_id) for _ in range(self.processes)]
            except BaseException:  # no process could be started (the OS refused): none runs
                executor.shutdown(wait=False, cancel_futures=True)
                self._warm, self._refused = [], True
                raise
            self._executor, self._refused = executor, False

    def _too_soon(self) -> bool:
        return time.monotonic() - self._started_at < self.retry_after

    async def wait_ready(self, within: float) -> bool:
        """Whether the pool is ready, having waited up to `within` seconds for one that is
        starting; False at once when none was started or its start failed."""
        deadline = time.monotonic() + within
        while not self.ready:
            if (self._executor is None or self._failed() is not None
                    or time.monotonic() >= deadline):
                return False
            await asyncio.sleep(0.05)
        return True

    async def compose(self, jobs: Sequence[MailJob]) -> list[Composed]:
        """The jobs composed in a worker process. Raises `BrokenProcessPool` when the
        process died (the pool is then dropped, and `start` makes a new one)."""
        return await self._run(compose_pickled, list(jobs))

    async def compose_notifications(self, config: EmailConfig, jobs: Sequence[NotificationJob],
                                    ahead: ReadAhead) -> list[Composed | Unprepared]:
        """The notifications read for and composed in a worker process (one with
        `reading`; `Unprepared` for each in one without). Raises `BrokenProcessPool` as
        `compose` does."""
        return await self._run(compose_notifications_pickled, (config, list(jobs), ahead))

    async def _run(self, call: Callable[[bytes], list[_T]], payload: object) -> list[_T]:
        executor = self._executor
        assert executor is not None, "start the pool first"
        # Pickled here, on the event loop's thread, not by the executor's feeder thread:
        # a second thread busy with Python work takes the GIL from the loop at each of its
        # socket calls and gives it back only after the switch interval (5 ms), a convoy
        # that slowed order intake by several per cent (bench/intake.py, delivering too).
        pickled = pickle.dumps(payload, protocol=pickle.HIGHEST_PROTOCOL)
        try:
            return await asyncio.get_running_loop().run_in_executor(executor, call, pickled)
        except BrokenProcessPool:
            if self._executor is executor:  # said once, by the first chunk to find out
                log.warning("the mail composing process died; composing inline until "
                            "restarted")
            self._drop(executor)
            raise

    def _drop(self, executor: ProcessPoolExecutor) -> None:
        if self._executor is executor:
            self._executor, self._warm = None, []
        executor.shutdown(wait=False, cancel_futures=True)

    def shutdown(self) -> None:
        """Stop the processes (work not yet started is dropped: its rows stay claimed and
        fall due again when their lease runs out)."""
        self.wanted = False
        if self._executor is not None:
            self._drop(self._executor)

    async def aclose(self, within: float = 10.0) -> None:
        """`shutdown`, waiting (off the loop, up to `within` seconds) until the processes
        and the executor's manager thread have ended. Left running, that thread may be
        closing its wake-up pipe just as the interpreter's exit handler writes to it
        (CPython 3.11's `_ThreadWakeup` has no lock): an OSError traceback at exit."""
        executor = self._executor
        self.shutdown()
        if executor is not None:  # a second shutdown, now waiting for the first one's end
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(asyncio.to_thread(executor.shutdown, wait=True),
                                       within)
