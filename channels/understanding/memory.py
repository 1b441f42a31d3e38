"""What a conversation needs from outside: a short memory per chat (kept in the database,
so two processes answering one chat agree) and the catalogue's names."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:  # rapidfuzz is imported with the first plain-words message, not at start
    from channels.understanding.catalogue import Catalogue

CATALOGUE_SECONDS = 60.0
REMEMBERED = ("order", "sku", "warehouse", "rma")  # what follow-ups may refer back to


class ConversationMemory(Protocol):
    async def recall(self, channel: str, chat: str) -> dict[str, Any]: ...
    async def remember(self, channel: str, chat: str, values: dict[str, Any]) -> None: ...


class CatalogueNames(Protocol):
    async def names(self) -> tuple[list[tuple[str, str]], list[tuple[str, str, str]]]: ...


class CatalogueCache:
    """The catalogue to match names against, rebuilt from `names` once a minute."""

    def __init__(self, names: CatalogueNames, ttl: float = CATALOGUE_SECONDS) -> None:
        self.names = names
        self.ttl = ttl
        self._cached: tuple[Catalogue, float] | None = None

    async def catalogue(self) -> Catalogue:
        if self._cached is not None and self._cached[1] > time.monotonic():
            return self._cached[0]
        from channels.understanding.catalogue import Catalogue, Product, Warehouse

        products, warehouses = await self.names.names()
        catalogue = Catalogue([Product(*p) for p in products],
                              [Warehouse(*w) for w in warehouses])
        self._cached = (catalogue, time.monotonic() + self.ttl)
        return catalogue


def with_context(found: dict[str, Any], remembered: dict[str, Any], wanted: tuple[str, ...]
                 ) -> dict[str, Any]:
    """`found`, completed from what the chat remembered for the keys `wanted` lacks."""
    filled = dict(found)
    for key in wanted:
        if key not in filled and key in remembered:
            filled[key] = remembered[key]
    return filled


def to_remember(values: dict[str, Any]) -> dict[str, Any]:
    return {key: values[key] for key in REMEMBERED if key in values}
