"""SQLite WAL checkpoints run in a worker thread after commits, never inside a COMMIT on
the event loop (storage/checkpoint.py), and the write-ahead log stays bounded."""

from __future__ import annotations

import asyncio
import threading
from pathlib import Path

import pytest
from sqlalchemy import text

from bot.bootstrap import Core
from storage.checkpoint import Checkpointer
from tests.catalog import order_command, small_shop


@pytest.fixture
def core(sqlite_core: Core) -> Core:
    return sqlite_core


async def _settled(checkpointer: Checkpointer) -> None:
    for _ in range(200):
        if checkpointer._running is None:
            return
        await asyncio.sleep(0.01)
    raise AssertionError("the checkpoint never finished")


async def test_the_writer_never_checkpoints_in_its_commit(core: Core) -> None:
    async with core.db.engine.connect() as conn:
        assert (await conn.execute(text("PRAGMA wal_autocheckpoint"))).scalar() == 0


async def test_a_commit_starts_a_checkpoint_in_another_thread(
        core: Core, monkeypatch: pytest.MonkeyPatch) -> None:
    checkpointer = core.db.checkpointer
    assert checkpointer is not None
    checkpointer.interval = 0.0
    threads: list[int] = []
    run = checkpointer._checkpoint

    def recording() -> None:
        threads.append(threading.get_ident())
        run()

    monkeypatch.setattr(checkpointer, "_checkpoint", recording)
    await small_shop(core.bus, stock=50)  # units of work: group commits
    await _settled(checkpointer)
    assert threads and threading.get_ident() not in threads
    assert checkpointer.last is not None
    busy, frames, copied = checkpointer.last
    assert (busy, copied) == (0, frames) and frames > 0  # the whole log copied back

    before = checkpointer.checkpoints
    async with core.db.write_session() as s:  # a writer outside the unit of work
        await s.execute(text("UPDATE products SET name = name"))
    await _settled(checkpointer)
    assert checkpointer.checkpoints == before + 1


async def test_the_log_stays_bounded_under_many_commits(core: Core, tmp_path: Path) -> None:
    checkpointer = core.db.checkpointer
    assert checkpointer is not None
    checkpointer.interval = 0.05
    await small_shop(core.bus, stock=100_000)
    for i in range(600):  # one commit each, about 30 frames
        await core.bus.handle(order_command(f"W-{i}"))
    await _settled(checkpointer)
    wal = tmp_path / "omsbot.db-wal"
    assert checkpointer.checkpoints > 3
    # about 4 MB here; a checkpoint beside the writers (not holding the write queue)
    # never let the log start again, and it grew to 80 MB
    assert wal.stat().st_size < 16 * 1024 * 1024, wal.stat().st_size
