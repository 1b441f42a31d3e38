"""/language en|it, /help, and help for anything else."""

from __future__ import annotations

from aiogram import Router
from aiogram.filters import Command, CommandObject
from aiogram.types import Message

from channels.telegram.chat_cache import ChatCache
from channels.telegram.context import actor_for
from channels.telegram.errors import NotLinked, Refusal
from channels.telegram.replies import Replies, supported
from domain.linking.commands import SetChatLocale
from domain.messagebus import MessageBus


def build_general_router() -> Router:
    router = Router(name="telegram-general")
    router.message.register(language, Command("language"))
    router.message.register(show_help, Command("help"))
    router.message.register(show_help)  # anything else: what I can do
    return router


async def language(message: Message, command: CommandObject, bus: MessageBus,
                   chats: ChatCache, say: Replies) -> None:
    locale = supported((command.args or "").strip())
    if locale is None:
        raise Refusal("help")
    if not await bus.handle(SetChatLocale(message.chat.id, locale), actor_for(message.chat.id)):
        raise NotLinked()
    chats.forget(message.chat.id)
    await message.answer(say.in_locale(locale)("language_set"))


async def show_help(message: Message, say: Replies) -> None:
    await message.answer(say("help"))
