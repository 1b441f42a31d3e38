"""Per-update context: who the chat is, in which language, and whether the update is new."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from aiogram import BaseMiddleware
from aiogram.types import Chat, TelegramObject, Update, User
from jinja2 import Environment

from channels.telegram.chat_cache import ChatCache
from channels.telegram.claims import UpdateClaims
from channels.telegram.replies import Replies, supported
from domain.clock import Clock
from domain.linking.commands import MarkChatReachable
from domain.linking.queries import ChatProfile
from domain.messagebus import Actor, MessageBus

log = logging.getLogger(__name__)
SOURCE = "telegram"


@dataclass(frozen=True)
class TelegramConfig:
    """What the handlers need from the settings."""

    default_locale: str
    timezone: str
    return_window: timedelta
    clock: Clock


def actor_for(chat_id: int) -> Actor:
    return Actor(f"telegram:{chat_id}", "telegram")


def choose_locale(profile: ChatProfile | None, user: User | None, default: str) -> str:
    """The profile's language, else Telegram's language_code when we ship it, else default."""
    return (supported(profile.locale if profile else None)
            or supported(user.language_code if user else None) or default)


class ChatContextMiddleware(BaseMiddleware):
    """Outer update middleware: records the update id (a re-delivery is dropped), puts the
    chat's customer (`customer`, or None) and a `say` renderer in its locale into the data."""

    def __init__(self, bus: MessageBus, chats: ChatCache, templates: Environment,
                 config: TelegramConfig) -> None:
        self.bus = bus
        self.chats = chats
        self.claims = UpdateClaims(bus, SOURCE)
        self.templates = templates
        self.config = config

    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        chat: Chat | None = data.get("event_chat")
        if isinstance(event, Update) and not await self.claims.claim(str(event.update_id)):
            log.info("telegram update %s was delivered before: skipped", event.update_id)
            return None
        profile = await self.chats.chat(chat.id) if chat else None
        if profile is not None and profile.unreachable:  # it writes again: unblocked
            await self.bus.handle(MarkChatReachable(profile.chat_id), actor_for(profile.chat_id))
            self.chats.forget(profile.chat_id)
        locale = choose_locale(profile, data.get("event_from_user"), self.config.default_locale)
        data["customer"] = profile
        data["say"] = Replies(self.templates, locale, self.config.timezone)
        return await handler(event, data)
