"""/orders and /track N (and the Track buttons): the customer's own orders only."""

from __future__ import annotations

from aiogram import Bot, F, Router
from aiogram.filters import Command, CommandObject
from aiogram.types import CallbackQuery, Message

from channels.telegram.chat_cache import ChatCache
from channels.telegram.keyboards import OrderAction, orders_keyboard
from channels.telegram.lookup import own_order, own_order_by_id, require_customer
from channels.telegram.replies import Replies
from domain.linking.queries import ChatProfile
from domain.queries import ReadModel

ORDERS_SHOWN = 10


def build_orders_router() -> Router:
    router = Router(name="telegram-orders")
    router.message.register(track, Command("track"))  # the busiest command checked first
    router.message.register(list_orders, Command("orders"))
    router.callback_query.register(track_button, OrderAction.filter(F.action == "track"))
    return router


async def list_orders(message: Message, views: ReadModel, customer: ChatProfile | None,
                      say: Replies) -> None:
    profile = require_customer(customer)
    orders, _ = await views.orders(customer=profile.email, limit=ORDERS_SHOWN)
    markup = orders_keyboard(orders, say.labels()) if orders else None
    await message.answer(say("orders_list", orders=orders), reply_markup=markup)


async def track(message: Message, command: CommandObject, chats: ChatCache,
                customer: ChatProfile | None, say: Replies) -> None:
    _, order = await own_order(chats, customer, command.args)
    await message.answer(say.fit("track", order["lines"], order=order))


async def track_button(query: CallbackQuery, callback_data: OrderAction, bot: Bot,
                       chats: ChatCache, customer: ChatProfile | None, say: Replies) -> None:
    await query.answer()
    order = await own_order_by_id(chats, customer, callback_data.order_id)
    if query.message is not None:
        await bot.send_message(query.message.chat.id,
                               say.fit("track", order["lines"], order=order))
