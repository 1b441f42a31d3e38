"""Plain words in a private chat ("dov'è il mio pacco?"): read by the understanding layer,
answered through the same reads and commands as the slash commands."""

from __future__ import annotations

from typing import Any

from aiogram import Bot, F, Router
from aiogram.types import CallbackQuery, Message

from channels.telegram.chat_cache import ChatCache
from channels.telegram.context import TelegramConfig, actor_for
from channels.telegram.conversation import (
    TalkChoice,
    choice_keyboard,
    fitting,
    handover_text,
    render_talk,
)
from channels.telegram.errors import NotLinked
from channels.telegram.lookup import own_order_by_id, require_customer
from channels.telegram.replies import Replies, supported
from channels.telegram.routers.orders import ORDERS_SHOWN, list_orders
from channels.telegram.routers.returns import ask_reason
from channels.understanding.memory import ConversationMemory
from domain.automation.commands import RaiseStaffAlert
from domain.linking.commands import SetChatLocale
from domain.linking.queries import ChatProfile
from domain.messagebus import MessageBus
from domain.orders.model import format_order_number
from domain.queries import ReadModel

SOURCE = "telegram"
SMALL_TALK = ("greeting", "thanks", "unknown")
ABOUT_AN_ORDER = ("track", "return")


def build_talk_router() -> Router:
    router = Router(name="telegram-talk")
    router.message.register(plain_words, F.chat.type == "private", F.text,
                            ~F.text.startswith("/"))
    router.callback_query.register(choice_made, TalkChoice.filter())
    return router


async def plain_words(message: Message, bot: Bot, bus: MessageBus, views: ReadModel,
                      chats: ChatCache, customer: ChatProfile | None, say: Replies,
                      config: TelegramConfig, memory: ConversationMemory) -> None:
    from channels.understanding.reader import ready, reply_language  # loaded at start-up

    text, chat = message.text or "", str(message.chat.id)
    reading = (await ready()).read(text, "customer")
    remembered = await memory.recall(SOURCE, chat)
    language = reply_language(reading, remembered.get("language") or say.locale)
    talk = Conversation(message, bot, bus, views, chats, customer,
                        say.in_locale(language), config, language)
    order = await talk.answer(reading.intent, reading.entities, text, remembered.get("order"))
    await memory.remember(SOURCE, chat, {"language": language, "order": order})


async def choice_made(query: CallbackQuery, callback_data: TalkChoice, bot: Bot,
                      chats: ChatCache, customer: ChatProfile | None, say: Replies,
                      config: TelegramConfig) -> None:
    await query.answer()
    order = await own_order_by_id(chats, customer, callback_data.order_id)
    if query.message is None:
        return
    if callback_data.action == "return":
        await ask_reason(query.message.chat.id, callback_data.order_id, order, bot, say, config)
    else:
        await bot.send_message(query.message.chat.id, say("track", order=order))


class Conversation:
    """One plain-words message of a customer, answered."""

    def __init__(self, message: Message, bot: Bot, bus: MessageBus, views: ReadModel,
                 chats: ChatCache, customer: ChatProfile | None, say: Replies,
                 config: TelegramConfig, language: str) -> None:
        self.message, self.bot, self.bus, self.views = message, bot, bus, views
        self.chats, self.customer, self.say, self.config = chats, customer, say, config
        self.language = language

    async def reply(self, kind: str, **context: Any) -> None:
        await self.message.answer(render_talk(self.say.env, self.language, kind, **context))

    async def answer(self, intent: str, values: dict[str, Any], text: str,
                     last_order: int | None) -> int | None:
        """Answers; returns the order the answer was about, to remember."""
        if intent in SMALL_TALK:
            from channels.understanding.suggest import closest_customer_commands

            await self.reply(intent, suggestions=closest_customer_commands(text))
        elif intent == "help":
            await self.message.answer(self.say("help"))
        elif intent == "language":
            await self.change_language(values.get("language"))
        elif intent == "orders" and "order" not in values:
            await list_orders(self.message, self.views, self.customer, self.say)
        elif intent in ("address", "human"):
            return await self.hand_over(intent, values.get("order") or last_order, text)
        else:
            return await self.about_an_order(
                "return" if intent == "return" else "track", values.get("order") or last_order)
        return None

    async def about_an_order(self, action: str, number: int | None) -> int | None:
        profile = require_customer(self.customer)
        if number is None:
            orders, _ = await self.views.orders(customer=profile.email, limit=ORDERS_SHOWN)
            candidates = fitting(orders, action)
            if len(candidates) != 1:
                await self.message.answer(render_talk(
                    self.say.env, self.language, "which_order" if candidates else f"no_{action}"),
                    reply_markup=choice_keyboard(candidates, action) if candidates else None)
                return None
            number = int(str(candidates[0]["number"]).removeprefix("ORD-"))
        order = await own_order_by_id(self.chats, profile, number, format_order_number(number))
        if action == "return":
            await ask_reason(self.message.chat.id, number, order, self.bot, self.say,
                             self.config)
        else:
            await self.message.answer(self.say("track", order=order))
        return number

    async def hand_over(self, intent: str, number: int | None, text: str) -> int | None:
        profile = require_customer(self.customer)
        if number is not None:  # only their own order is named to staff
            await own_order_by_id(self.chats, profile, number, format_order_number(number))
        shown = format_order_number(number) if number else None
        await self.bus.handle(RaiseStaffAlert("customer_request", handover_text(
            intent, profile, shown, text)), actor_for(self.message.chat.id))
        await self.reply("handed_over", topic=intent, number=shown)
        return number

    async def change_language(self, wanted: str | None) -> None:
        locale = supported(wanted)
        if locale is None:
            await self.reply("language_which", wanted=wanted)
            return
        chat_id = self.message.chat.id
        if not await self.bus.handle(SetChatLocale(chat_id, locale), actor_for(chat_id)):
            raise NotLinked()
        self.chats.forget(chat_id)
        await self.message.answer(self.say.in_locale(locale)("language_set"))
