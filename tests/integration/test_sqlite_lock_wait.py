"""SQLite only (a file lock between processes has no PostgreSQL counterpart): waiting for
another process's write lock never blocks the event loop (issue 14, item 6)."""

from __future__ import annotations

import asyncio
import shutil
import sqlite3
import time
from pathlib import Path

import pytest
from sqlalchemy import text

from storage.engine import Database
from storage.sqlite_inline import inline_creator


def _other_process_holds_the_lock(path: Path) -> sqlite3.Connection:
    """Another writer (a connection of its own, as another process would have)."""
    other = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    other.execute("PRAGMA journal_mode=WAL")  # as every omsbot process sets it
    other.execute("BEGIN IMMEDIATE")
    return other


async def _largest_gap_while(work: asyncio.Future[object]) -> float:
    """The longest the loop went without running a 1 ms ticker until `work` is done."""
    gap, last = 0.0, time.perf_counter()
    while not work.done():
        await asyncio.sleep(0.001)
        now = time.perf_counter()
        gap, last = max(gap, now - last), now
    return gap


async def test_a_write_waits_for_another_process_without_blocking_the_loop(
        tmp_path: Path, sqlite_template: Path) -> None:
    shutil.copy(sqlite_template, tmp_path / "omsbot.db")
    db = Database(f"sqlite+aiosqlite:///{tmp_path / 'omsbot.db'}")
    other = _other_process_holds_the_lock(tmp_path / "omsbot.db")
    try:
        async def write() -> None:
            async with db.write_session() as s:
                await s.execute(text("UPDATE api_tokens SET name = name"))

        writing = asyncio.ensure_future(write())
        asyncio.get_running_loop().call_later(0.5, other.commit)
        started = time.perf_counter()
        gap = await _largest_gap_while(writing)
        await writing
        waited = time.perf_counter() - started
    finally:
        other.close()
        await db.dispose()

    assert waited >= 0.45  # it did wait for the other writer …
    assert gap < 0.1  # … while the loop kept running


async def test_a_lock_held_too_long_still_fails_with_sqlites_own_error(tmp_path: Path) -> None:
    path = tmp_path / "x.db"
    sqlite3.connect(path).execute("CREATE TABLE t (x INTEGER)").connection.close()
    other = _other_process_holds_the_lock(path)
    connect = inline_creator(str(path), lambda c: c.execute("PRAGMA busy_timeout=0"),
                             begin_wait=0.2)
    connection = await connect()
    try:
        started = time.perf_counter()
        with pytest.raises(sqlite3.OperationalError, match="database is locked"):
            await connection.cursor().execute("BEGIN IMMEDIATE")
        assert 0.2 <= time.perf_counter() - started < 2
    finally:
        await connection.close()
        other.close()
