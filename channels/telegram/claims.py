"""Update ids are recorded before an update is handled, so a re-delivery has no second
effect. Ids arriving together share one transaction (group commit): a burst of a hundred
updates from one getUpdates costs one write, not a hundred."""

from __future__ import annotations

import asyncio

from domain.linking.commands import ClaimUpdates
from domain.messagebus import Actor, MessageBus

ACTOR = Actor("telegram", "telegram")


class UpdateClaims:
    def __init__(self, bus: MessageBus, source: str) -> None:
        self.bus = bus
        self.source = source
        self._waiting: list[tuple[str, asyncio.Future[bool]]] = []
        self._flusher: asyncio.Task[None] | None = None

    async def claim(self, update_id: str) -> bool:
        """True the first time this id is seen, False for a re-delivery."""
        future: asyncio.Future[bool] = asyncio.get_running_loop().create_future()
        self._waiting.append((update_id, future))
        if self._flusher is None or self._flusher.done():
            self._flusher = asyncio.create_task(self._flush())
        return await future

    async def _flush(self) -> None:
        await asyncio.sleep(0)  # let the updates of this burst join the batch
        while self._waiting:
            batch, self._waiting = self._waiting, []
            try:
                new = set(await self.bus.handle(
                    ClaimUpdates(self.source, tuple(uid for uid, _ in batch)), ACTOR))
            except Exception as exc:
                for _, future in batch:
                    if not future.done():
                        future.set_exception(exc)
                continue
            for uid, future in batch:
                future.set_result(uid in new)
                new.discard(uid)  # the same id twice in one batch: only the first is new
