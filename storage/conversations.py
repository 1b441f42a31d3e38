"""What plain-words conversations remember (per chat, with an expiry), and the names of
the products and warehouses they match what people write against."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import delete, select

from domain.clock import Clock
from storage import orm
from storage.engine import Database
from storage.repositories import upsert

MEMORY = timedelta(minutes=15)  # how long "cancel it" still means the last order


class SqlConversations:
    """`ConversationMemory` on SQL: one row per (channel, chat), read only while fresh, so
    two processes answering the same chat agree."""

    def __init__(self, db: Database, clock: Clock, keep: timedelta = MEMORY) -> None:
        self.db = db
        self.clock = clock
        self.keep = keep

    async def recall(self, channel: str, chat: str) -> dict[str, Any]:
        t = orm.conversations
        stmt = select(t.c.data).where(t.c.channel == channel, t.c.chat == chat[:200],
                                      t.c.expires_at > self.clock.now())
        async with self.db.read_sessions() as s:
            found = await s.scalar(stmt)
        return dict(found) if isinstance(found, dict) else {}

    async def remember(self, channel: str, chat: str, values: dict[str, Any]) -> None:
        """Merge `values` (None removes a key) into what the chat remembers; expired rows
        of every chat are dropped on the way."""
        t = orm.conversations
        now = self.clock.now()
        async with self.db.write_session() as s:
            await s.execute(delete(t).where(t.c.expires_at <= now))
            current = await s.scalar(select(t.c.data).where(t.c.channel == channel,
                                                             t.c.chat == chat[:200]))
            data = {**(current if isinstance(current, dict) else {}), **values}
            data = {key: value for key, value in data.items() if value is not None}
            stmt = upsert(s, t).values(channel=channel, chat=chat[:200], data=data,
                                       expires_at=now + self.keep)
            await s.execute(stmt.on_conflict_do_update(
                index_elements=[t.c.channel, t.c.chat],
                set_={"data": data, "expires_at": now + self.keep}))


class SqlCatalogueNames:
    """The names staff call products and warehouses by: (sku, name) and (code, name, city)."""

    def __init__(self, db: Database) -> None:
        self.db = db

    async def names(self) -> tuple[list[tuple[str, str]], list[tuple[str, str, str]]]:
        p, w = orm.products, orm.warehouses
        async with self.db.read_sessions() as s:
            products = [(r.sku, r.name) for r in await s.execute(select(p.c.sku, p.c.name))]
            warehouses = [(r.code, r.name, r.city) for r in await s.execute(
                select(w.c.code, w.c.name, w.c.city))]
        return products, warehouses
