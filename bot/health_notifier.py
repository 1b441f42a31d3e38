"""A notifier that tells /healthz whether its channel is reachable, judged by each send."""

from __future__ import annotations

from collections.abc import Sequence

from bot.delivery import Closable, Preparing, Starting, Stopping
from bot.lifecycle import OK, RETRYING, Health
from domain.notifications import DeliveryFailed, Notification, Notifier

COMPONENT_OF_CHANNEL = {"email": "smtp", "slack": "slack", "telegram": "telegram"}


class HealthReporting:
    """Wraps `inner`: a delivered notification reports its component `ok`, a failure worth
    retrying (connection refused, timeout, 4xx) reports it `retrying`. A permanent refusal
    of one message says nothing about the channel."""

    def __init__(self, inner: Notifier, component: str, health: Health) -> None:
        self.inner = inner
        self.channel = inner.channel
        self.component = component
        self.health = health

    async def send(self, notification: Notification) -> str:
        try:
            provider_id = await self.inner.send(notification)
        except DeliveryFailed as failure:
            if not failure.permanent:
                self.health.report(self.component, RETRYING)
            raise
        self.health.report(self.component, OK)
        return provider_id

    async def start(self) -> None:
        if isinstance(self.inner, Starting):
            await self.inner.start()

    async def prepare(self, batch: Sequence[Notification]) -> None:
        if isinstance(self.inner, Preparing):
            await self.inner.prepare(batch)

    async def aclose(self) -> None:
        if isinstance(self.inner, Closable):
            await self.inner.aclose()

    async def shutdown(self) -> None:
        if isinstance(self.inner, Stopping):
            await self.inner.shutdown()


def reporting(notifiers: dict[str, Notifier], health: Health) -> dict[str, Notifier]:
    """Each notifier of a health component wrapped; the others as they are."""
    return {channel: HealthReporting(n, COMPONENT_OF_CHANNEL[channel], health)
            if channel in COMPONENT_OF_CHANNEL else n for channel, n in notifiers.items()}
