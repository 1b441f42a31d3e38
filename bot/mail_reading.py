"""Read access of the mail composing process's own (channels/email/compose_worker).

`omsbot run` gives the composing process a `MailReadingFactory`; the process calls it once
it has started, and from then on reads the orders, returns and customers of the mails it is
handed, through a connection of its own to the shop's database (its reads are one at a
time; it never writes), while the delivery worker's process only claims, hands over and
records.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.settings import Settings
from storage.engine import Database
from storage.views import SqlReadModel


@dataclass(frozen=True)
class MailReading:
    """The read model over a database of the composing process's own."""

    db: Database
    views: SqlReadModel

    async def aclose(self) -> None:
        """Close its connections (at the process's exit)."""
        await self.db.dispose()


@dataclass(frozen=True)
class MailReadingFactory:
    """Picklable (it travels to the spawned process): the settings the read model needs.
    `ping_after_idle`: seconds, as OMSBOT_DB_PING_AFTER_IDLE."""

    database_url: str
    base_currency: str
    timezone: str
    ping_after_idle: float

    @classmethod
    def of(cls, settings: Settings) -> MailReadingFactory:
        return cls(settings.database_url, settings.base_currency, settings.timezone,
                   settings.db_ping_after_idle.total_seconds())

    def __call__(self) -> MailReading:
        db = Database(self.database_url, pool_size=1, ping_after_idle=self.ping_after_idle)
        return MailReading(db, SqlReadModel(db, self.base_currency, timezone=self.timezone))
