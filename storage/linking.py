"""SQL side of the linking context: link codes, chat links, processed update ids."""

from __future__ import annotations

import functools
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import func, insert, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from domain.customers.model import TelegramLink
from domain.linking.model import LinkCode
from storage import orm


def _code(row: Any) -> LinkCode:
    return LinkCode(code_hash=row.code_hash, purpose=row.purpose, customer_id=row.customer_id,
                    created_at=row.created_at, expires_at=row.expires_at, chat_id=row.chat_id,
                    attempts=row.attempts, used_at=row.used_at, id=row.id)


class SqlLinkCodes:
    t = orm.link_codes

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, code: LinkCode) -> None:
        code.id = await self.session.scalar(insert(self.t).values(
            code_hash=code.code_hash, purpose=code.purpose, customer_id=code.customer_id,
            chat_id=code.chat_id, created_at=code.created_at, expires_at=code.expires_at,
            attempts=code.attempts, used_at=code.used_at).returning(self.t.c.id))

    async def by_hash(self, code_hash: str, purpose: str) -> LinkCode | None:
        row = (await self.session.execute(select(self.t).where(
            self.t.c.code_hash == code_hash, self.t.c.purpose == purpose))).first()
        return None if row is None else _code(row)

    async def open_for_chat(self, chat_id: int, purpose: str) -> list[LinkCode]:
        rows = await self.session.execute(select(self.t).where(
            self.t.c.chat_id == chat_id, self.t.c.purpose == purpose,
            self.t.c.used_at.is_(None)).order_by(self.t.c.id.desc()))
        return [_code(r) for r in rows]

    async def count_for_chat_since(self, chat_id: int, since: datetime) -> int:
        return int(await self.session.scalar(select(func.count()).where(
            self.t.c.chat_id == chat_id, self.t.c.created_at >= since)) or 0)

    async def save(self, code: LinkCode) -> None:
        await self.session.execute(update(self.t).where(self.t.c.id == code.id).values(
            attempts=code.attempts, chat_id=code.chat_id, used_at=code.used_at))


class SqlChatLinks:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, chat_id: int) -> TelegramLink | None:
        return await self.session.get(TelegramLink, chat_id)

    async def link(self, link: TelegramLink) -> None:
        existing = await self.get(link.chat_id)
        if existing is None:
            self.session.add(link)
        else:
            existing.customer_id = link.customer_id
            existing.linked_at = link.linked_at
            existing.locale = link.locale
            existing.unreachable = False
        await self.session.flush()

    async def save(self, link: TelegramLink) -> None:
        await self.session.flush()  # a loaded link is tracked by the session


class SqlProcessedUpdates:
    t = orm.processed_updates

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def claim(self, source: str, update_ids: Sequence[str], at: datetime
                    ) -> frozenset[str]:
        if not update_ids:
            return frozenset()
        # One statement built once, the ids as parameters: SQLAlchemy sends them as one
        # multi-row INSERT (insertmanyvalues) instead of building a 100-row statement per burst.
        stmt = _claim_statement(self.session.get_bind().dialect.name)
        rows = [{"source": source, "update_id": uid, "at": at}
                for uid in dict.fromkeys(update_ids)]
        return frozenset(await self.session.scalars(stmt, rows))

    async def remember(self, source: str, update_id: str, at: datetime) -> bool:
        return bool(await self.claim(source, [update_id], at))


@functools.cache
def _claim_statement(dialect: str) -> Any:
    """INSERT … ON CONFLICT DO NOTHING RETURNING update_id, for the given dialect."""
    t = orm.processed_updates
    stmt = postgresql.insert(t) if dialect == "postgresql" else sqlite.insert(t)
    return stmt.on_conflict_do_nothing(index_elements=[t.c.source, t.c.update_id]
                                         ).returning(t.c.update_id)
