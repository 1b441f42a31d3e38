"""Staff roles, the cached role look-up and processed delivery ids on both databases."""

from __future__ import annotations

import asyncio

from bot.bootstrap import Core
from domain.staff.commands import SetStaffRole
from domain.staff.model import Role
from storage.staff import SqlProcessedUpdates, SqlStaffDirectory


async def test_roles_are_read_cached_and_forgotten(core: Core) -> None:
    directory = SqlStaffDirectory(core.db, ttl=60)
    assert await directory.role_of("U0001") is None

    await core.bus.handle(SetStaffRole("U0001", Role.VIEWER))
    cached = await directory.role_of("U0001")
    directory.forget("U0001")
    fresh = await directory.role_of("U0001")
    await core.bus.handle(SetStaffRole("U0001", Role.ADMIN))

    assert (cached, fresh) == (None, Role.VIEWER)
    assert await directory.role_of("U0001") == Role.VIEWER  # still cached
    assert await SqlStaffDirectory(core.db).role_of("U0001") == Role.ADMIN


async def test_an_id_is_claimed_once_even_when_raced(core: Core) -> None:
    processed = SqlProcessedUpdates(core.db, core.clock)

    results = await asyncio.gather(*(processed.claim("slack", "1.2.trigger") for _ in range(8)))
    other_source = await processed.claim("telegram", "1.2.trigger")

    assert sorted(results) == [False] * 7 + [True]
    assert other_source is True
