"""Staff members, the cached role look-up asked on every Slack request, and processed ids."""

from __future__ import annotations

import time

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from domain.clock import Clock
from domain.staff.model import Role, StaffMember
from storage import orm
from storage.engine import Database
from storage.linking import SqlProcessedUpdates as UnitOfWorkUpdates
from storage.repositories import upsert

ROLE_CACHE_SECONDS = 5.0


class SqlStaff:
    """The write side, inside the unit of work."""

    t = orm.staff

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, user_id: str) -> StaffMember | None:
        row = (await self.session.execute(select(self.t).where(
            self.t.c.slack_user_id == user_id))).first()
        if row is None:
            return None
        return StaffMember(row.slack_user_id, Role(row.role), row.added_at, row.added_by)

    async def put(self, member: StaffMember) -> None:
        stmt = upsert(self.session, self.t).values(
            slack_user_id=member.user_id, role=member.role.value, added_at=member.added_at,
            added_by=member.added_by)
        await self.session.execute(stmt.on_conflict_do_update(
            index_elements=[self.t.c.slack_user_id], set_={"role": member.role.value}))


class SqlStaffDirectory:
    """Roles by Slack user id, cached a few seconds so a burst of clicks costs one query."""

    def __init__(self, db: Database, ttl: float = ROLE_CACHE_SECONDS) -> None:
        self.db = db
        self.ttl = ttl
        self._cache: dict[str, tuple[Role | None, float]] = {}

    async def role_of(self, user_id: str) -> Role | None:
        hit = self._cache.get(user_id)
        if hit is not None and hit[1] > time.monotonic():
            return hit[0]
        t = orm.staff
        async with self.db.read_sessions() as s:
            found = await s.scalar(select(t.c.role).where(t.c.slack_user_id == user_id))
        role = Role(found) if found is not None else None
        self._cache[user_id] = (role, time.monotonic() + self.ttl)
        return role

    def forget(self, user_id: str) -> None:
        self._cache.pop(user_id, None)


class SqlProcessedUpdates:
    """Slack deliveries claimed in a transaction of their own, before the work they start
    (the unit-of-work repository does the same inside a change's transaction)."""

    def __init__(self, db: Database, clock: Clock) -> None:
        self.db = db
        self.clock = clock

    async def claim(self, source: str, update_id: str) -> bool:
        async with self.db.write_session() as s:
            return await UnitOfWorkUpdates(s).remember(source, update_id[:300],
                                                       self.clock.now())
