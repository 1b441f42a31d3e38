"""The delivery side of the transactional outbox: claim due rows, record what happened.

Several omsbot processes may share the work on PostgreSQL: a claim locks due rows with
``FOR UPDATE SKIP LOCKED`` and leases them (``claimed_until``), so no two workers send the
same row, and a crashed worker's rows fall due again when its lease runs out. On SQLite
the claim runs in a ``BEGIN IMMEDIATE`` write transaction (``db.write_session()``), which
already admits one claimer at a time.

A claim counts as an attempt: a message that crashes its worker every time still ends dead.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import bindparam, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from domain.clock import Clock
from domain.notifications import DEAD, PENDING, SENT, SLACK, STAFF, Notification
from storage import orm
from storage.engine import Database
from storage.repositories import SqlOutbox

DELIVERY_FAILED = "delivery_failed"  # kind of the staff alert about a dead notification
_LAST_ERROR_MAX = 1000


@dataclass(frozen=True)
class Sent:
    id: int
    provider_message_id: str


@dataclass(frozen=True)
class Retry:
    id: int
    error: str
    at: datetime


@dataclass(frozen=True)
class Dead:
    notification: Notification
    error: str


Outcome = Sent | Retry | Dead


def _from_rows(result: Any) -> list[Notification]:
    """The claimed rows as notifications, by id (the column names asked for once: a row's
    `_mapping.keys()` builds a new key view per row)."""
    keys = list(result.keys())
    return sorted((Notification(**dict(zip(keys, row, strict=True))) for row in result),
                  key=lambda n: n.id or 0)


class SqlOutboxStore:
    t = orm.notifications

    def __init__(self, db: Database, clock: Clock) -> None:
        self.db = db
        self.clock = clock

    async def claim(self, channels: Collection[str], limit: int, lease: timedelta
                    ) -> list[Notification]:
        """Lease up to `limit` due rows of these channels; each claim counts one attempt.

        One statement in a short transaction (UPDATE … WHERE id IN (due rows) RETURNING):
        on PostgreSQL the due rows are locked with SKIP LOCKED, so claimers in other
        processes take the rows after them instead of waiting."""
        if not channels or limit <= 0:
            return []
        t, now = self.t, self.clock.now()
        due = (select(t.c.id)
               .where(t.c.status == PENDING, t.c.next_attempt_at <= now,
                      t.c.channel.in_(list(channels)),
                      or_(t.c.claimed_until.is_(None), t.c.claimed_until <= now))
               .order_by(t.c.next_attempt_at, t.c.id)
               .limit(limit))
        if not self.db.is_sqlite:
            due = due.with_for_update(skip_locked=True)
        claim = (update(t).where(t.c.id.in_(due.scalar_subquery()))
                 .values(claimed_until=now + lease, attempts=t.c.attempts + 1)
                 .returning(*t.c))
        async with self.db.write_session() as s:
            return _from_rows(await s.execute(claim))

    async def record(self, outcomes: Sequence[Outcome]) -> None:
        """Write a batch's results in one transaction (one statement per kind of result)."""
        if not outcomes:
            return
        t, now = self.t, self.clock.now()
        sent = [{"nid": o.id, "pid": o.provider_message_id[:300]}
                for o in outcomes if isinstance(o, Sent)]
        retry = [{"nid": o.id, "error": o.error[:_LAST_ERROR_MAX], "at": o.at}
                 for o in outcomes if isinstance(o, Retry)]
        pending_row = (t.c.id == bindparam("nid")) & (t.c.status == PENDING)
        async with self.db.write_session() as s:
            if sent:
                await s.execute(update(t).where(pending_row).values(
                    status=SENT, provider_message_id=bindparam("pid"), sent_at=now,
                    claimed_until=None), sent)
            if retry:
                await s.execute(update(t).where(pending_row).values(
                    next_attempt_at=bindparam("at"), last_error=bindparam("error"),
                    claimed_until=None), retry)
            for outcome in outcomes:
                if isinstance(outcome, Dead):
                    await self._bury(s, outcome, now)

    async def _bury(self, s: AsyncSession, dead: Dead, now: datetime) -> None:
        t, n = self.t, dead.notification
        result = await s.execute(update(t).where(t.c.id == n.id, t.c.status == PENDING).values(
            status=DEAD, last_error=dead.error[:_LAST_ERROR_MAX], claimed_until=None))
        if getattr(result, "rowcount", 0) and n.kind != DELIVERY_FAILED:
            await SqlOutbox(s).add(_dead_alert(n, dead.error, now))

    async def listing(self, statuses: Sequence[str] = (PENDING, DEAD), limit: int = 200
                      ) -> list[Notification]:
        t = self.t
        async with self.db.read_sessions() as s:
            return _from_rows(await s.execute(select(*t.c).where(
                t.c.status.in_(list(statuses))).order_by(t.c.id).limit(limit)))

    async def counts(self) -> dict[str, int]:
        t = self.t
        async with self.db.read_sessions() as s:
            rows = await s.execute(select(t.c.status, func.count()).group_by(t.c.status))
            return {str(status): int(n) for status, n in rows}

    async def pending_elsewhere(self, channels: Collection[str]) -> dict[str, int]:
        """Pending rows of channels other than these (no notifier here to send them)."""
        t = self.t
        async with self.db.read_sessions() as s:
            rows = await s.execute(select(t.c.channel, func.count())
                                   .where(t.c.status == PENDING,
                                          t.c.channel.not_in(list(channels)))
                                   .group_by(t.c.channel))
            return {str(channel): int(n) for channel, n in rows}

    async def requeue_dead(self, notification_id: int | None = None) -> int:
        """Make dead rows pending again with fresh attempts; how many were requeued."""
        t = self.t
        stmt = update(t).where(t.c.status == DEAD)
        if notification_id is not None:
            stmt = stmt.where(t.c.id == notification_id)
        async with self.db.write_session() as s:
            result = await s.execute(stmt.values(
                status=PENDING, attempts=0, next_attempt_at=self.clock.now(),
                claimed_until=None))
            return int(getattr(result, "rowcount", 0) or 0)

    async def status_of(self, notification_id: int) -> str | None:
        t = self.t
        async with self.db.read_sessions() as s:
            found = await s.scalar(select(t.c.status).where(t.c.id == notification_id))
            return None if found is None else str(found)


def _dead_alert(n: Notification, error: str, now: datetime) -> Notification:
    text = (f"Could not deliver {n.kind} by {n.channel} to {n.recipient} after "
            f"{n.attempts} attempts: {error}")
    return Notification(
        channel=SLACK, kind=DELIVERY_FAILED, recipient=STAFF, created_at=now,
        next_attempt_at=now, order_id=n.order_id,
        dedupe_key=f"{SLACK}:{STAFF}:{DELIVERY_FAILED}:{n.id}:{n.attempts}",
        payload={"text": text, "notification_id": n.id, "channel": n.channel,
                 "kind": n.kind, "recipient": n.recipient, "attempts": n.attempts,
                 "error": error[:_LAST_ERROR_MAX], "order_id": n.order_id},
    )
