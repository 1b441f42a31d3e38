"""Test helpers that look at the database directly."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from bot.bootstrap import Core
from storage.orm import metadata


async def table_counts(core: Core) -> dict[str, int]:
    """Row counts of every table, to prove that a refused request wrote nothing."""
    counts: dict[str, int] = {}
    async with core.db.read_sessions() as s:
        for table in metadata.sorted_tables:
            counts[table.name] = int(await s.scalar(select(func.count()).select_from(table)) or 0)
    return counts


async def stock_state(core: Core) -> list[tuple[Any, ...]]:
    t = metadata.tables["stock_levels"]
    async with core.db.read_sessions() as s:
        rows = await s.execute(select(t.c.sku, t.c.warehouse, t.c.on_hand, t.c.reserved)
                               .order_by(t.c.sku, t.c.warehouse))
        return [tuple(r) for r in rows]
