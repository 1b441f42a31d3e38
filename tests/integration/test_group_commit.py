"""Group commit on SQLite (storage/write_queue.py): units of work that queue together share
one COMMIT, each keeps its own outcome, and none returns before its work is durable."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event
from sqlalchemy.exc import OperationalError
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.bootstrap import Core, build_core
from domain.clock import FixedClock
from storage import reservations
from storage.uow import SqlUnitOfWork
from tests.catalog import order_command, small_shop
from tests.conftest import NOW, make_settings


@pytest.fixture
async def sqlite_core(tmp_path: Path, sqlite_template: Path, clock: FixedClock
                      ) -> AsyncIterator[Core]:
    target = tmp_path / "omsbot.db"
    target.write_bytes(sqlite_template.read_bytes())
    core = build_core(make_settings(f"sqlite+aiosqlite:///{target}"), clock=clock)
    try:
        yield core
    finally:
        await core.close()


def _count_commits(core: Core) -> list[int]:
    commits = [0]

    @event.listens_for(core.db.engine.sync_engine, "commit")
    def _commit(_conn: Any) -> None:
        commits[0] += 1

    return commits


async def _place(core: Core, external_id: str) -> int:
    result = await core.bus.handle(order_command(external_id))
    # Returned: so it is committed, and another connection (the read engine) sees it.
    assert await core.views.order(result.order_id) is not None
    return int(result.order_id)


async def _reserve_then_fail(core: Core) -> None:
    async with SqlUnitOfWork(core.db) as uow:
        uow.stock.reserve_on_commit("MUG-01", "MIL", 5)
        await reservations.make_pending(uow.session)  # written, then the failure
        raise RuntimeError("this unit of work fails after writing")


async def test_queued_orders_share_commits_and_a_failure_stays_its_own(
        sqlite_core: Core) -> None:
    core = sqlite_core
    await small_shop(core.bus)
    commits = _count_commits(core)
    outcomes = await asyncio.gather(
        _place(core, "G-0"), _reserve_then_fail(core), _place(core, "G-1"),
        *(_place(core, f"G-{i}") for i in range(2, 8)), return_exceptions=True)
    failures = [o for o in outcomes if isinstance(o, BaseException)]
    assert [str(f) for f in failures] == ["this unit of work fails after writing"]
    assert len({o for o in outcomes if isinstance(o, int)}) == 8
    assert commits[0] < 8  # eight orders, fewer COMMITs
    levels = await core.views.inventory("MUG-01")
    assert levels is not None and levels[0]["reserved"] == 16  # not 21: the 5 rolled back


async def test_a_failed_group_commit_runs_every_member_again(
        sqlite_core: Core, monkeypatch: pytest.MonkeyPatch) -> None:
    core = sqlite_core
    await small_shop(core.bus)
    real_commit = AsyncConnection.commit
    failed = [0]

    async def commit_failing_once(self: AsyncConnection) -> None:
        if not failed[0]:
            failed[0] = 1
            raise OperationalError("COMMIT", {}, Exception("disk I/O error"))
        await real_commit(self)

    monkeypatch.setattr(AsyncConnection, "commit", commit_failing_once)
    ids = await asyncio.gather(*(_place(core, f"F-{i}") for i in range(6)))
    assert failed[0] == 1
    assert sorted(ids) == list(range(1, 7))  # each stored once, none lost
    levels = await core.views.inventory("MUG-01")
    assert levels is not None and levels[0]["reserved"] == 12
    day = NOW.date()
    entries = [ln["entry"] for ln in await core.views.journal(day, day)]
    assert len(entries) == 12 and len(set(entries)) == 6  # one payment entry per order
