"""Helpers for the scheduled-job tests: run a job, read what it stored for delivery."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from bot.bootstrap import Core
from domain.automation.commands import JobOutcome
from domain.automation.runner import run_job
from storage import orm


async def run(core: Core, name: str) -> JobOutcome:
    return await run_job(core.bus, name, timezone=core.settings.timezone)


async def outbox(core: Core, kind: str | None = None) -> list[dict[str, Any]]:
    """Stored notifications, oldest first: {channel, kind, recipient, payload, dedupe_key}."""
    t = orm.notifications
    stmt = select(t.c.channel, t.c.kind, t.c.recipient, t.c.payload, t.c.dedupe_key,
                  t.c.order_id).order_by(t.c.id)
    if kind is not None:
        stmt = stmt.where(t.c.kind == kind)
    async with core.db.read_sessions() as session:
        return [dict(row._mapping) for row in await session.execute(stmt)]


async def stock(core: Core, sku: str, warehouse: str) -> dict[str, Any]:
    levels = await core.views.inventory(sku) or []
    return next(level for level in levels if level["warehouse"] == warehouse)
