"""Telegram's flood limits for pushed messages: ~30 a second overall, 1 a second per chat."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable


class SendLimiter:
    """`await limiter.wait(chat_id)` before each send. Slots are reserved before sleeping,
    so concurrent senders queue fairly; `pause(seconds)` honours a 429's retry_after."""

    def __init__(self, per_second: float = 30.0, per_chat_interval: float = 1.0, *,
                 clock: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], Awaitable[None]] = asyncio.sleep) -> None:
        self.interval = 1.0 / per_second
        self.per_chat_interval = per_chat_interval
        self._clock = clock
        self._sleep = sleep
        self._next_global = 0.0
        self._next_chat: dict[int, float] = {}

    async def wait(self, chat_id: int) -> None:
        now = self._clock()
        chat_slot = max(now, self._next_chat.get(chat_id, 0.0))
        self._next_chat[chat_id] = chat_slot + self.per_chat_interval
        if chat_slot > now:
            await self._sleep(chat_slot - now)
        now = self._clock()
        slot = max(now, self._next_global)
        self._next_global = slot + self.interval
        if slot > now:
            await self._sleep(slot - now)
        self._forget_idle_chats(now)

    def pause(self, seconds: float) -> None:
        self._next_global = max(self._next_global, self._clock() + seconds)

    def _forget_idle_chats(self, now: float) -> None:
        if len(self._next_chat) > 10_000:
            self._next_chat = {k: v for k, v in self._next_chat.items() if v > now}
