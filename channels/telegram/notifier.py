"""Pushed order updates to linked chats (Notifier for channel "telegram").

429 -> DeliveryFailed(retry_after) and the limiter pauses; 403 (blocked) -> the chat is
marked unreachable through the bus and the failure is permanent.
"""

from __future__ import annotations

import logging
from typing import Any, Protocol

from aiogram import Bot
from aiogram.exceptions import (
    TelegramBadRequest,
    TelegramForbiddenError,
    TelegramNotFound,
    TelegramRetryAfter,
    TelegramUnauthorizedError,
)
from jinja2 import Environment

from channels.rendering import build_environment
from channels.telegram.app import build_bot
from channels.telegram.context import actor_for
from channels.telegram.limiter import SendLimiter
from channels.telegram.replies import Replies
from domain.linking.commands import MarkChatUnreachable
from domain.messagebus import MessageBus
from domain.notifications import TELEGRAM, DeliveryFailed, Notification
from domain.queries import ReadModel

log = logging.getLogger(__name__)
KINDS = ("order_shipped", "order_out_for_delivery", "order_delivered", "order_delayed")


class TelegramSettings(Protocol):
    @property
    def telegram_token(self) -> str | None: ...
    @property
    def telegram_api_url(self) -> str: ...
    @property
    def default_locale(self) -> str: ...
    @property
    def timezone(self) -> str: ...


class TelegramNotifier:
    channel = TELEGRAM

    def __init__(self, bot: Bot, bus: MessageBus, views: ReadModel, templates: Environment,
                 *, default_locale: str, timezone: str, limiter: SendLimiter | None = None
                 ) -> None:
        self.bot = bot
        self.bus = bus
        self.views = views
        self.templates = templates
        self.default_locale = default_locale
        self.timezone = timezone
        self.limiter = limiter or SendLimiter()

    async def send(self, notification: Notification) -> str:
        chat_id = int(notification.recipient)
        text = await self.render(notification)
        await self.limiter.wait(chat_id)
        try:
            message = await self.bot.send_message(chat_id, text)
        except TelegramRetryAfter as exc:
            self.limiter.pause(exc.retry_after)
            raise DeliveryFailed(exc.message, retry_after=exc.retry_after) from exc
        except TelegramForbiddenError as exc:
            await self.bus.handle(MarkChatUnreachable(chat_id), actor_for(chat_id))
            raise DeliveryFailed(exc.message, permanent=True) from exc
        except (TelegramBadRequest, TelegramNotFound, TelegramUnauthorizedError) as exc:
            raise DeliveryFailed(exc.message, permanent=True) from exc
        except Exception as exc:  # network trouble, 5xx: the worker retries with back-off
            raise DeliveryFailed(f"telegram: {exc}") from exc
        return str(message.message_id)

    async def render(self, notification: Notification) -> str:
        if notification.kind not in KINDS:
            raise DeliveryFailed(f"no Telegram message for {notification.kind}", permanent=True)
        payload = notification.payload
        order = await self.views.order(int(payload["order_id"]))
        if order is None:
            raise DeliveryFailed(f"order {payload['order_id']} is gone", permanent=True)
        # Shipments that have left (a carrier): the templates name the last one.
        shipped = [s for s in order["shipments"] if s.get("carrier")]
        context: dict[str, Any] = {"order": {**order, "shipments": shipped}}
        if payload.get("new_estimate"):
            context["new_estimate"] = payload["new_estimate"]
        say = Replies(self.templates, self.default_locale, self.timezone)
        return say.in_locale(notification.locale)(notification.kind, **context)

    async def aclose(self) -> None:
        """End of a burst: close the HTTP session; the next send opens a new one."""
        await self.bot.session.close()

    close = aclose


def build_telegram_notifier(settings: TelegramSettings, bus: MessageBus, views: ReadModel,
                            limiter: SendLimiter | None = None) -> TelegramNotifier | None:
    """The notifier when OMSBOT_TELEGRAM_TOKEN is set; call `close()` at shutdown."""
    if not settings.telegram_token:
        return None
    return TelegramNotifier(build_bot(settings.telegram_token, settings.telegram_api_url), bus,
                            views, build_environment(), default_locale=settings.default_locale,
                            timezone=settings.timezone, limiter=limiter)
