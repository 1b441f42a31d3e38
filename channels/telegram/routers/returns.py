"""/return N [reason words] (and the Return button): delivered orders in the return window.
The reason is the words after the number, or, without words, picked with buttons; then the
return is opened through the bus (which alerts staff)."""

from __future__ import annotations

from datetime import datetime

from aiogram import Bot, F, Router
from aiogram.filters import Command, CommandObject
from aiogram.types import CallbackQuery, Message

from channels.telegram.chat_cache import ChatCache
from channels.telegram.context import TelegramConfig, actor_for
from channels.telegram.errors import Refusal
from channels.telegram.keyboards import RETURNABLE, OrderAction, ReturnReason, reasons_keyboard
from channels.telegram.lookup import own_order, own_order_by_id, require_customer
from channels.telegram.replies import Replies
from domain.errors import DomainError, InvalidInput, NotReturnable
from domain.linking.queries import ChatProfile
from domain.messagebus import MessageBus
from domain.queries import View
from domain.returns.commands import RequestReturn, ReturnResult


def build_returns_router() -> Router:
    router = Router(name="telegram-returns")
    router.message.register(start_return, Command("return"))
    router.callback_query.register(return_button, OrderAction.filter(F.action == "return"))
    router.callback_query.register(reason_chosen, ReturnReason.filter())
    return router


async def start_return(message: Message, command: CommandObject, bot: Bot, bus: MessageBus,
                       chats: ChatCache, customer: ChatProfile | None, say: Replies,
                       config: TelegramConfig) -> None:
    typed, _, words = (command.args or "").strip().partition(" ")
    order_id, order = await own_order(chats, customer, typed)
    reason = " ".join(words.split())
    if not reason:
        await ask_reason(message.chat.id, order_id, order, bot, say, config)
        return
    refuse_unless_returnable(order, config)
    result = await open_return(bus, require_customer(customer), order_id, order, reason)
    await message.answer(say("return_opened", order=order, **{"return": {"rma": result.rma}}))


async def return_button(query: CallbackQuery, callback_data: OrderAction, bot: Bot,
                        chats: ChatCache, customer: ChatProfile | None, say: Replies,
                        config: TelegramConfig) -> None:
    await query.answer()
    order = await own_order_by_id(chats, customer, callback_data.order_id)
    if query.message is not None:
        await ask_reason(query.message.chat.id, callback_data.order_id, order, bot, say, config)


async def reason_chosen(query: CallbackQuery, callback_data: ReturnReason, bot: Bot,
                        bus: MessageBus, chats: ChatCache, customer: ChatProfile | None,
                        say: Replies) -> None:
    await query.answer()
    profile = require_customer(customer)
    order = await own_order_by_id(chats, profile, callback_data.order_id)
    reason = say.in_locale("en").labels().get(f"reason_{callback_data.reason}", "Other")
    result = await open_return(bus, profile, callback_data.order_id, order, reason)
    if query.message is not None:
        await bot.send_message(query.message.chat.id, say(
            "return_opened", order=order, **{"return": {"rma": result.rma}}))


async def ask_reason(chat_id: int, order_id: int, order: View, bot: Bot, say: Replies,
                     config: TelegramConfig) -> None:
    refuse_unless_returnable(order, config)
    await bot.send_message(chat_id, say("return_pick_reason", order=order),
                           reply_markup=reasons_keyboard(order_id, say.labels()))


def refuse_unless_returnable(order: View, config: TelegramConfig) -> None:
    if order["status"] not in RETURNABLE or not order.get("delivered_at"):
        raise Refusal("return_not_allowed", order=order, reason="not_delivered")
    delivered_at = datetime.fromisoformat(order["delivered_at"])
    if config.clock.now() - delivered_at > config.return_window:
        raise Refusal("return_not_allowed", order=order, reason="window_closed")


async def open_return(bus: MessageBus, customer: ChatProfile, order_id: int, order: View,
                      reason: str) -> ReturnResult:
    command = RequestReturn(order_id, reason, channel="telegram",
                            requested_by_email=customer.email)
    try:
        result: ReturnResult = await bus.handle(command, actor_for(customer.chat_id))
    except InvalidInput:  # everything on the order is already being returned
        raise Refusal("return_not_allowed", order=order, reason="already_open") from None
    except NotReturnable:  # e.g. the window closed since the buttons were shown: says why
        raise
    except DomainError as exc:
        raise Refusal("return_not_allowed", order=order, reason="other") from exc
    return result
