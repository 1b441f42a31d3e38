"""Reads asked for in the same tick share one query (the "data loader" pattern): a burst of
`/track` updates from one getUpdates costs one round trip to the database, not one each."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Hashable, Mapping
from typing import Generic, TypeVar

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class Batcher(Generic[K, V]):
    def __init__(self, load: Callable[[tuple[K, ...]], Awaitable[Mapping[K, V]]]) -> None:
        self._load = load
        self._waiting: dict[K, list[asyncio.Future[V | None]]] = {}
        self._flusher: asyncio.Task[None] | None = None

    async def get(self, key: K) -> V | None:
        """The loaded value for `key`, or None when the loader did not return it."""
        future: asyncio.Future[V | None] = asyncio.get_running_loop().create_future()
        self._waiting.setdefault(key, []).append(future)
        if self._flusher is None or self._flusher.done():
            self._flusher = asyncio.create_task(self._flush())
        return await future

    async def _flush(self) -> None:
        await asyncio.sleep(0)  # let the rest of this burst join
        while self._waiting:
            batch, self._waiting = self._waiting, {}
            try:
                found = await self._load(tuple(batch))
            except Exception as exc:
                for futures in batch.values():
                    for future in futures:
                        if not future.done():
                            future.set_exception(exc)
                continue
            for key, futures in batch.items():
                for future in futures:
                    if not future.done():
                        future.set_result(found.get(key))
