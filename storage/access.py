"""API tokens in the database, with a short in-process cache of verified hashes."""

from __future__ import annotations

import time

from sqlalchemy import insert, select

from domain.access import hash_token, new_api_token
from domain.clock import Clock
from storage import orm
from storage.engine import Database

CACHE_SECONDS = 30.0


class SqlApiTokens:
    def __init__(self, db: Database, clock: Clock) -> None:
        self.db = db
        self.clock = clock
        self._cache: dict[str, tuple[str, float]] = {}

    async def create(self, name: str) -> str:
        token = new_api_token()
        async with self.db.write_session() as s:
            await s.execute(insert(orm.api_tokens).values(
                name=name, token_hash=hash_token(token), created_at=self.clock.now()))
        return token

    async def verify(self, token: str) -> str | None:
        digest = hash_token(token)
        hit = self._cache.get(digest)
        if hit is not None and hit[1] > time.monotonic():
            return hit[0]
        t = orm.api_tokens
        async with self.db.read_sessions() as s:
            name = await s.scalar(select(t.c.name).where(
                t.c.token_hash == digest, t.c.revoked_at.is_(None)))
        if name is not None:
            self._cache[digest] = (name, time.monotonic() + CACHE_SECONDS)
        return name
