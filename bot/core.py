"""What every channel shares: the settings, the clock, the database, the bus and the read
model. `bot.bootstrap.build_core` builds it; modules that only take a Core import it here."""

from __future__ import annotations

from dataclasses import dataclass

from bot.settings import Settings
from domain.clock import Clock
from domain.messagebus import MessageBus
from storage.access import SqlApiTokens
from storage.engine import Database
from storage.views import SqlReadModel


@dataclass
class Core:
    """What every channel shares: the database, the bus and the read model."""

    settings: Settings
    clock: Clock
    db: Database
    bus: MessageBus
    views: SqlReadModel
    tokens: SqlApiTokens

    async def close(self) -> None:
        await self.db.dispose()
