"""Group commit for SQLite: the units of work of this process that queue for the write
lock share one transaction, and one COMMIT makes all of them durable.

SQLite has one writer at a time, so within a process writers wait on an asyncio lock
(an `omsbot import` in another process waits on SQLite's lock, see sqlite_inline). When
a unit of work finishes while others wait, it hands them the lock with the transaction
still open; the last of the line (or the 32nd) commits for the whole group. Each member
keeps its own outcome:

- the first member of a group works in the transaction itself (nothing before it can be
  lost: its failure rolls back the whole, still empty, transaction);
- every later member works in a SAVEPOINT: its failure rolls back only its own work;
- `leave(committed=True)` returns only once the group's COMMIT succeeded; when that
  COMMIT fails, every member gets `Retry` and runs again (nothing of it was stored).

A member whose client went away while it waited is no longer in the line; a task queued
behind the line commits whatever a hand-over left open, so no group waits forever.
Writers that are not units of work (`exclusive()`: the outbox worker, tokens) first
commit the open group, then have the lock and the database to themselves.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager, suppress

from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from domain.errors import Retry

MAX_GROUP = 32  # units of work per COMMIT at most
LOOP_TURNS = 3  # turns of the event loop a finished member waits for others to queue


class WriteQueue:
    def __init__(self, engine: AsyncEngine, *, max_group: int = MAX_GROUP,
                 on_failure: Callable[[], None] | None = None,
                 on_commit: Callable[[], None] | None = None) -> None:
        """`on_failure`: called when a group's COMMIT failed (drop what was cached
        from its uncommitted work); `on_commit`: after one succeeded (on the loop)."""
        self.engine = engine
        self.max_group = max_group
        self.on_failure = on_failure
        self.on_commit = on_commit
        self.lock = asyncio.Lock()
        self._conn: AsyncConnection | None = None
        self._members: list[asyncio.Future[None]] = []
        self._joiners = 0  # units of work waiting for the lock
        self._others = 0  # exclusive writers waiting for the lock
        self._closer: asyncio.Task[None] | None = None

    async def join(self) -> tuple[AsyncConnection, bool]:
        """Wait for the lock; (the connection, in the group's open transaction, and True
        when earlier members' work is in it: work in a SAVEPOINT then)."""
        self._joiners += 1
        try:
            await self.lock.acquire()
        finally:
            self._joiners -= 1
        if self._conn is None:
            try:
                self._conn = await self._begin()
            except BaseException:
                self.lock.release()
                raise
        return self._conn, bool(self._members)

    async def _begin(self) -> AsyncConnection:
        conn = await self.engine.connect()
        try:
            await conn.begin()  # BEGIN IMMEDIATE (storage.engine)
        except BaseException:
            await conn.close()
            raise
        return conn

    async def leave(self, *, committed: bool) -> None:
        """The member holding the lock is done (its work stays when `committed`). Hands
        the open transaction to the next member, or commits the group; when `committed`,
        returns once the group's COMMIT succeeded (Retry when it failed)."""
        done: asyncio.Future[None] | None = None
        if committed:
            done = asyncio.get_running_loop().create_future()
            self._members.append(done)
            await self._let_others_queue()
        if (self._members and self._joiners and not self._others
                and len(self._members) < self.max_group):
            self.lock.release()
            if self._closer is None:
                self._closer = asyncio.create_task(self._close_behind_the_line())
        else:
            try:
                await self._finish()
            finally:
                self.lock.release()
        if done is not None:
            await done

    async def _let_others_queue(self) -> None:
        """SQLite statements run inline and never yield to the event loop, so requests
        that arrived meanwhile have not reached the queue yet: give them a few turns of
        the loop (microseconds) to join this group before it commits."""
        for _ in range(LOOP_TURNS):
            if self._joiners or self._others:
                return
            await asyncio.sleep(0)

    async def _close_behind_the_line(self) -> None:
        try:
            async with self.lock:
                if self._conn is not None:
                    await self._finish()
        finally:
            self._closer = None

    async def _finish(self) -> None:
        """COMMIT the open group (ROLLBACK when it has no member); settle every member."""
        conn, members = self._conn, self._members
        self._conn, self._members = None, []
        if conn is None:
            return
        error: BaseException | None = None
        try:
            if members and conn.in_transaction():
                await conn.commit()
            elif conn.in_transaction():
                await conn.rollback()
        except Exception as exc:  # handed to every member as Retry
            error = exc
        finally:
            with suppress(Exception):
                await conn.close()
        for member in members:
            if member.done():
                continue
            if error is None:
                member.set_result(None)
            else:
                member.set_exception(Retry(f"the group's COMMIT failed: {error}"))
        if error is not None and self.on_failure is not None:
            self.on_failure()
        elif error is None and members and self.on_commit is not None:
            self.on_commit()

    @asynccontextmanager
    async def exclusive(self) -> AsyncIterator[None]:
        """The lock for a writer that is not a unit of work, after the open group (if
        any) is committed; `on_commit` after it left without an error."""
        self._others += 1
        try:
            await self.lock.acquire()
        finally:
            self._others -= 1
        try:
            await self._finish()
            yield
        finally:
            self.lock.release()
        if self.on_commit is not None:  # the writer's work is committed (or it wrote none)
            self.on_commit()
