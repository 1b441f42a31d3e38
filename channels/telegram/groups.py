"""Where the bot speaks: every private chat; in groups only commands addressed to it.

In a group Telegram delivers commands as ``/track@ThisBot 12``; chatter, members joining and
commands for other bots (``/start@OtherBot``) reach us too (with privacy mode off, or as
replies). The bot stays silent for all of them: a command counts as addressed only when it
names this bot. Button presses always pass: the bot put the buttons there, and a press must
be answered.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import BaseMiddleware, Bot
from aiogram.enums import ChatType, MessageEntityType
from aiogram.types import Message, TelegramObject, Update

log = logging.getLogger(__name__)


def addressed_command(message: Message, bot_username: str) -> bool:
    """True for a text starting with ``/command@<bot_username>`` (any letter case)."""
    text = message.text or message.caption or ""
    entities = message.entities or message.caption_entities or []
    first = entities[0] if entities else None
    if first is None or first.type != MessageEntityType.BOT_COMMAND or first.offset != 0:
        return False
    command = first.extract_from(text)
    _, at, mention = command.partition("@")
    return bool(at) and mention.lower() == bot_username.lower()


class GroupGate(BaseMiddleware):
    """Outer update middleware: drops group messages that are not addressed to this bot."""

    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        if isinstance(event, Update) and not await self.wanted(event, data["bot"]):
            log.debug("telegram update %s: not for us, silent", event.update_id)
            return None
        return await handler(event, data)

    @staticmethod
    async def wanted(update: Update, bot: Bot) -> bool:
        message = update.message or update.edited_message
        if message is None:  # button presses and anything else that is not a chat message
            return True
        if message.chat.type == ChatType.PRIVATE:
            return True
        if update.edited_message is not None:
            return False  # an edited command in a group was answered when it was sent
        me = await bot.me()  # cached by aiogram after the first call
        return addressed_command(message, me.username or "")
