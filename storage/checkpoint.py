"""SQLite WAL checkpoints in a worker thread, never in a COMMIT on the event loop.

By default SQLite checkpoints in the connection whose COMMIT takes the write-ahead log past
`wal_autocheckpoint` pages (1,000): inside that COMMIT it copies the pages back into the
database file and, with `synchronous=NORMAL`, fsyncs it (the only fsync that mode makes).
Our writer runs its statements inline on the event loop (storage.sqlite_inline), so such
a COMMIT held the loop for the length of an fsync, 6-8 ms on the bench machine and tens of
ms on a busy disk (strace of bench/slack.py: 29 fdatasync calls in ~4,000 requests), and
every request waiting meanwhile (a Slack ack, /healthz, an order) waited with it.

The writer connections turn automatic checkpoints off (`PRAGMA wal_autocheckpoint=0`);
after a COMMIT, `Checkpointer.committed` starts a PASSIVE checkpoint in a worker thread,
on a connection of its own, when none runs and `interval` seconds have passed since the
last one; Python's sqlite3 releases the GIL while SQLite works. It runs holding `hold`
(the process's write queue, storage.write_queue): this process's writers wait for it on
the event loop, without blocking it. That hold is what keeps the log bounded: the next
writer starts the log again from its beginning only when the checkpoint had copied every
frame before that writer began (sqlite.org, "Write-Ahead Logging", checkpoint starvation),
and with commits every few milliseconds a checkpoint running beside them never does (the
log grew by 80 MB in 600 orders). The last connection to close still checkpoints, as
SQLite always does.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import sqlite3
import time
from collections.abc import Callable
from contextlib import AbstractAsyncContextManager

log = logging.getLogger(__name__)
CHECKPOINT_INTERVAL_S = 0.5
NO_AUTOCHECKPOINT = "PRAGMA wal_autocheckpoint=0"


class Checkpointer:
    """Passive checkpoints of the SQLite file at `path`, off the event loop."""

    def __init__(self, path: str, hold: Callable[[], AbstractAsyncContextManager[None]], *,
                 interval: float = CHECKPOINT_INTERVAL_S, busy_timeout_ms: int = 30_000) -> None:
        """`hold`: what a checkpoint holds while it runs (the write queue's exclusive
        lock); `interval`: seconds between checkpoints at least."""
        self.path = path
        self.hold = hold
        self.interval = interval
        self.busy_timeout_ms = busy_timeout_ms
        self.checkpoints = 0  # run so far
        self.last: tuple[int, int, int] | None = None  # (busy, WAL frames, checkpointed)
        self._last = time.monotonic()
        self._running: asyncio.Future[None] | None = None
        self._conn: sqlite3.Connection | None = None

    def committed(self) -> None:
        """A write transaction committed (on the event loop): start a checkpoint in a
        worker thread when it is due and none runs. Returns at once."""
        if self._running is not None or time.monotonic() - self._last < self.interval:
            return
        self._last = time.monotonic()
        self._running = asyncio.ensure_future(self._run())
        self._running.add_done_callback(self._done)

    async def _run(self) -> None:
        async with self.hold():
            await asyncio.to_thread(self._checkpoint)

    def _done(self, future: asyncio.Future[None]) -> None:
        self._running = None
        if not future.cancelled() and future.exception() is not None:
            log.warning("SQLite checkpoint of %s failed: %s", self.path, future.exception())

    def _checkpoint(self) -> None:
        """In a worker thread; one at a time (see `committed`)."""
        if self._conn is None:
            self._conn = sqlite3.connect(self.path, check_same_thread=False,
                                         isolation_level=None)
            self._conn.execute(f"PRAGMA busy_timeout={self.busy_timeout_ms}")
        busy, frames, copied = self._conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
        self.last = (int(busy), int(frames), int(copied))
        self.checkpoints += 1

    async def aclose(self) -> None:
        """Wait for a checkpoint under way, then close the connection."""
        if self._running is not None:
            with contextlib.suppress(Exception):  # logged by _done
                await self._running
        if self._conn is not None:
            conn, self._conn = self._conn, None
            conn.close()
