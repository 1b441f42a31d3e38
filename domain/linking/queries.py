"""The read side of the linking context: who is behind a chat."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from domain.queries import View


@dataclass(frozen=True)
class ChatProfile:
    chat_id: int
    customer_id: int
    email: str
    name: str
    locale: str | None  # the chat's own choice, else the customer's profile
    unreachable: bool


class ChatDirectory(Protocol):
    async def chat(self, chat_id: int) -> ChatProfile | None:
        """The customer bound to the chat, or None when the chat is not linked."""
        ...

    async def chats(self, chat_ids: Sequence[int]) -> dict[int, ChatProfile]:
        """Several chats at once (one read); a chat that is not linked is left out."""
        ...

    async def orders(self, keys: Sequence[tuple[int, int]]) -> dict[tuple[int, int], View]:
        """Orders by (customer id, order id), in the read model's order shape as customers
        see it; a key whose order does not exist or is someone else's is left out."""
        ...
