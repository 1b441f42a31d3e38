"""Batched claims and reads of the Telegram channel, and the chat cache."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from typing import Any

import pytest

from channels.telegram.batching import Batcher
from channels.telegram.chat_cache import ChatCache
from channels.telegram.claims import UpdateClaims
from domain.linking.commands import ClaimUpdates
from domain.linking.queries import ChatProfile


class RecordingBus:
    """Answers ClaimUpdates like the repository does, and remembers each call."""

    def __init__(self) -> None:
        self.seen: set[str] = set()
        self.calls: list[tuple[str, ...]] = []

    async def handle(self, command: ClaimUpdates, actor: object = None) -> frozenset[str]:
        self.calls.append(command.update_ids)
        new = frozenset(command.update_ids) - self.seen
        self.seen |= new
        return new


async def test_claims_arriving_together_share_one_write() -> None:
    bus = RecordingBus()
    claims = UpdateClaims(bus, "telegram")  # type: ignore[arg-type]

    first = await asyncio.gather(*(claims.claim(str(i)) for i in range(50)))
    again = await asyncio.gather(claims.claim("7"), claims.claim("50"), claims.claim("50"))

    assert all(first) and len(bus.calls) == 2
    assert again == [False, True, False]  # a duplicate within one batch is not new twice


async def test_a_failed_claim_fails_its_batch_only() -> None:
    class Broken:
        async def handle(self, command: object, actor: object = None) -> frozenset[str]:
            raise RuntimeError("database down")

    claims = UpdateClaims(Broken(), "telegram")  # type: ignore[arg-type]

    with pytest.raises(RuntimeError, match="database down"):
        await claims.claim("1")


async def test_batcher_loads_a_burst_at_once() -> None:
    loads: list[tuple[int, ...]] = []

    async def load(keys: tuple[int, ...]) -> dict[int, str]:
        loads.append(keys)
        return {k: f"v{k}" for k in keys if k % 2 == 0}

    batcher = Batcher[int, str](load)
    found = await asyncio.gather(*(batcher.get(k) for k in (1, 2, 2, 3, 4)))

    assert found == [None, "v2", "v2", None, "v4"]
    assert loads == [(1, 2, 3, 4)]


class Directory:
    def __init__(self) -> None:
        self.reads = 0

    async def chat(self, chat_id: int) -> ChatProfile | None:
        return (await self.chats([chat_id]))[chat_id]

    async def chats(self, chat_ids: Sequence[int]) -> dict[int, ChatProfile]:
        self.reads += 1
        return {c: ChatProfile(c, 1, "ada@example.com", "Ada", "it", False) for c in chat_ids}

    async def orders(self, keys: Sequence[tuple[int, int]]) -> dict[tuple[int, int], Any]:
        return {}


async def test_chat_cache_remembers_briefly_and_forgets_on_change() -> None:
    now = [0.0]
    directory = Directory()
    cache = ChatCache(directory, ttl=10, clock=lambda: now[0])

    await cache.chat(5)
    await cache.chat(5)
    reads_cached = directory.reads
    cache.forget(5)
    await cache.chat(5)
    now[0] = 11.0
    await cache.chat(5)

    assert (reads_cached, directory.reads) == (1, 3)


async def test_chat_cache_reads_the_chats_of_a_burst_at_once() -> None:
    directory = Directory()
    cache = ChatCache(directory)

    profiles = await asyncio.gather(*(cache.chat(c) for c in (5, 6, 5, 7)))

    assert [p.chat_id for p in profiles if p] == [5, 6, 5, 7]
    assert directory.reads == 1
