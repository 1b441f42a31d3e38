"""What must reach a person, stored with the change that caused it (transactional outbox)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

EMAIL = "email"
TELEGRAM = "telegram"
SLACK = "slack"

PENDING = "pending"
SENT = "sent"
DEAD = "dead"
STAFF = "staff"  # recipient of staff alerts: the configured alerts channel


@dataclass(eq=False)
class Notification:
    channel: str
    kind: str
    recipient: str
    payload: dict[str, Any]
    created_at: datetime
    next_attempt_at: datetime
    locale: str | None = None
    order_id: int | None = None
    dedupe_key: str | None = None
    status: str = PENDING
    attempts: int = 0
    last_error: str | None = None
    provider_message_id: str | None = None
    sent_at: datetime | None = None
    claimed_until: datetime | None = None
    id: int | None = None


@dataclass(eq=False)
class AuditEntry:
    at: datetime
    actor: str
    channel: str
    action: str
    subject: str
    details: dict[str, Any] = field(default_factory=dict)
    id: int | None = None


class DeliveryFailed(Exception):
    """A notifier could not deliver. The worker retries with back-off unless `permanent`;
    `retry_after` (seconds) is the channel's own wish (HTTP 429 Retry-After, SMTP 4xx)."""

    def __init__(self, reason: str, *, retry_after: float | None = None,
                 permanent: bool = False) -> None:
        super().__init__(reason)
        self.reason = reason
        self.retry_after = retry_after
        self.permanent = permanent


class Notifier(Protocol):
    """Delivers stored notifications of one channel (email, telegram or slack)."""

    channel: str

    async def send(self, notification: Notification) -> str:
        """Deliver one notification; returns the provider's message id.
        Raises DeliveryFailed when it could not."""
        ...
