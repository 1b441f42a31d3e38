"""/language LANG (a shipped language), /help, help for anything else, and an answer to any
other button."""

from __future__ import annotations

from aiogram import Router
from aiogram.filters import Command, CommandObject
from aiogram.types import CallbackQuery, Message

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
    # a button no other handler took (stale, forged, unreadable data): the spinner must stop
    router.callback_query.register(unknown_button)
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


async def unknown_button(query: CallbackQuery, say: Replies) -> None:
    await query.answer(say("button_stale"), show_alert=True)
