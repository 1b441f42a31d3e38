"""Who is behind a chat, remembered briefly: every update needs it, few updates change it.
Its orders are never cached. Chats and orders asked for in the same tick share one query
each (a burst from one getUpdates, or the first updates after a start).

The handlers that change a link (linking, language, reachability) forget the chat at once;
other processes see a change within `ttl` seconds. A re-link can only be made from the
chat itself, so a stale entry never shows one customer's orders to another person."""

from __future__ import annotations

import time
from collections.abc import Callable

from channels.telegram.batching import Batcher
from domain.linking.queries import ChatDirectory, ChatProfile
from domain.queries import View

_MAX_ENTRIES = 50_000


class ChatCache:
    def __init__(self, directory: ChatDirectory, ttl: float = 10.0,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.directory = directory
        self.ttl = ttl
        self._clock = clock
        self._entries: dict[int, tuple[float, ChatProfile | None]] = {}
        self._chats = Batcher[int, ChatProfile](directory.chats)
        self._orders = Batcher[tuple[int, int], View](directory.orders)

    async def chat(self, chat_id: int) -> ChatProfile | None:
        now = self._clock()
        hit = self._entries.get(chat_id)
        if hit is not None and hit[0] > now:
            return hit[1]
        profile = await self._chats.get(chat_id)
        if len(self._entries) >= _MAX_ENTRIES:
            self._entries.clear()
        self._entries[chat_id] = (now + self.ttl, profile)
        return profile

    async def order(self, customer_id: int, order_id: int) -> View | None:
        """The customer's order, or None. Never cached (orders change), but the orders asked
        for in the same tick are read in one query."""
        return await self._orders.get((customer_id, order_id))

    def forget(self, chat_id: int) -> None:
        self._entries.pop(chat_id, None)
