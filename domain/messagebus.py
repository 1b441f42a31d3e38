"""The message bus: runs a command's handler in a unit of work, turns the events it raised
into stored notifications and audit entries in the same transaction, then commits."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from domain.clock import Clock
from domain.errors import Retry
from domain.events import Event
from domain.input_policy import check_command
from domain.notifications import AuditEntry, Notification
from domain.ports import UnitOfWork

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Actor:
    """Who asked for a change, through which channel (for the audit trail)."""

    name: str
    channel: str


SYSTEM = Actor("system", "system")


@dataclass(frozen=True)
class DomainConfig:
    base_currency: str = "EUR"
    prices_include_tax: bool = True
    unpaid_hold: timedelta = timedelta(hours=24)
    payment_reminder_after: timedelta = timedelta(hours=12)
    return_window: timedelta = timedelta(days=30)
    review_request_after: timedelta = timedelta(days=3)
    default_locale: str = "en"
    timezone: str = "UTC"  # the shop's zone: calendar dates (promised delivery, ETA) are its days
    return_address: str | None = None  # OMSBOT_RETURN_ADDRESS; None: the shipping warehouse

    def day_of(self, instant: datetime) -> date:
        """The shop's calendar day an aware instant falls on."""
        return instant.astimezone(ZoneInfo(self.timezone)).date()


@dataclass
class Context:
    """Everything a handler may use besides the unit of work."""

    clock: Clock
    actor: Actor
    config: DomainConfig
    events: list[Event] = field(default_factory=list)
    audits: list[AuditEntry] = field(default_factory=list)

    def emit(self, event: Event) -> None:
        self.events.append(event)

    def audit(self, action: str, subject: str, **details: Any) -> None:
        self.audits.append(AuditEntry(
            at=self.clock.now(), actor=self.actor.name, channel=self.actor.channel,
            action=action, subject=subject, details=details,
        ))


Handler = Callable[[Any, UnitOfWork, Context], Awaitable[Any]]
NotificationPolicy = Callable[[Event, UnitOfWork, Context], Awaitable[Sequence[Notification]]]
EventsPolicy = Callable[[Sequence[Event], UnitOfWork, Context], Awaitable[None]]
"""Writes what all events of one command imply (the journal) in the same unit of work."""


class MessageBus:
    def __init__(
        self,
        uow_factory: Callable[[], UnitOfWork],
        handlers: dict[type, Handler],
        policy: NotificationPolicy,
        clock: Clock,
        config: DomainConfig,
        max_attempts: int = 5,
        journal: EventsPolicy | None = None,
    ) -> None:
        self.uow_factory = uow_factory
        self.handlers = handlers
        self.policy = policy
        self.clock = clock
        self.config = config
        self.max_attempts = max_attempts
        self.journal = journal
        self.after_commit: list[Callable[[Sequence[Notification]], None]] = []

    async def handle(self, command: object, actor: Actor = SYSTEM, *, commit: bool = True
                     ) -> Any:
        """Run `command`'s handler and store what it caused, in one transaction.

        `commit=False` runs everything and then rolls back: a dry run that writes nothing.
        """
        handler = self.handlers.get(type(command))
        if handler is None:
            raise LookupError(f"no handler for {type(command).__name__}")
        now = self.clock.now()  # one input policy, whichever channel the command came from
        check_command(command, now, self.config.day_of(now))
        for attempt in range(1, self.max_attempts + 1):
            ctx = Context(self.clock, actor, self.config)
            try:
                result, stored = await self._run_once(handler, command, ctx, commit)
            except Retry:
                if attempt == self.max_attempts:
                    raise
                log.debug("retrying %s (attempt %d)", type(command).__name__, attempt)
                continue
            for hook in self.after_commit if commit else ():
                hook(stored)
            return result
        raise AssertionError("unreachable")

    async def _run_once(
        self, handler: Handler, command: object, ctx: Context, commit: bool
    ) -> tuple[Any, list[Notification]]:
        async with self.uow_factory() as uow:
            result = await handler(command, uow, ctx)
            stored: list[Notification] = []
            for event in ctx.events:
                for note in await self.policy(event, uow, ctx):
                    if await uow.outbox.add(note):
                        stored.append(note)
            if self.journal is not None and ctx.events:
                await self.journal(ctx.events, uow, ctx)
            for entry in ctx.audits:
                await uow.audit.add(entry)
            if commit:
                await uow.commit()
            else:
                await uow.rollback()
        return result, stored
