"""The composition root: the one place that builds engines, the bus and the channels."""

from __future__ import annotations

from dataclasses import dataclass

from bot.settings import Settings
from domain.accounting.policy import journal_policy
from domain.automation.registry import automation_handlers
from domain.clock import Clock, SystemClock
from domain.fulfillment.thirdparty import with_third_party
from domain.linking.handlers import linking_handlers
from domain.messagebus import DomainConfig, MessageBus
from domain.policy import notifications_for
from domain.registry import core_handlers
from storage.access import SqlApiTokens
from storage.engine import Database
from storage.uow import SqlUnitOfWork
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


def domain_config(settings: Settings) -> DomainConfig:
    return DomainConfig(
        base_currency=settings.base_currency,
        prices_include_tax=settings.prices_include_tax,
        unpaid_hold=settings.unpaid_hold,
        payment_reminder_after=settings.payment_reminder_after,
        return_window=settings.return_window,
        review_request_after=settings.review_request_after,
        default_locale=settings.default_locale,
        timezone=settings.timezone,
        return_address=settings.return_address,
    )


def build_core(settings: Settings, *, clock: Clock | None = None) -> Core:
    clock = clock or SystemClock()
    db = Database(settings.database_url)
    bus = MessageBus(
        uow_factory=lambda: SqlUnitOfWork(db, base_currency=settings.base_currency),
        handlers={**core_handlers(), **automation_handlers(),
                  **linking_handlers(settings.secret())},
        policy=with_third_party(notifications_for),
        clock=clock,
        config=domain_config(settings),
        max_attempts=10,
        journal=journal_policy,
    )
    return Core(settings, clock, db, bus, SqlReadModel(db, settings.base_currency),
                SqlApiTokens(db, clock))
