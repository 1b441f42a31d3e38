"""/start [code], /link EMAIL, /code NNNNNN: binding this chat to a customer."""

from __future__ import annotations

from aiogram import Router
from aiogram.filters import Command, CommandObject, CommandStart
from aiogram.types import Message

from channels.telegram.chat_cache import ChatCache
from channels.telegram.context import actor_for
from channels.telegram.errors import Refusal
from channels.telegram.replies import Replies, supported
from domain.linking import commands as lc
from domain.messagebus import MessageBus


def build_linking_router() -> Router:
    router = Router(name="telegram-linking")
    router.message.register(start, CommandStart())
    router.message.register(link, Command("link"))
    router.message.register(code, Command("code"))
    return router


async def start(message: Message, command: CommandObject, bus: MessageBus, chats: ChatCache,
                say: Replies) -> None:
    if not command.args:
        await message.answer(say("welcome"))
        return
    await redeem(message, command.args, lc.DEEPLINK, bus, chats, say)


async def link(message: Message, command: CommandObject, bus: MessageBus, say: Replies) -> None:
    if not command.args:
        raise Refusal("not_linked")
    email = command.args.strip()
    sent = await bus.handle(lc.RequestEmailCode(message.chat.id, email),
                           actor_for(message.chat.id))
    await message.answer(say("link_code_sent", email=email,
                             expires_minutes=sent.expires_minutes))


async def code(message: Message, command: CommandObject, bus: MessageBus, chats: ChatCache,
               say: Replies) -> None:
    await redeem(message, (command.args or "").strip(), lc.EMAIL, bus, chats, say)


async def redeem(message: Message, code: str, purpose: str, bus: MessageBus, chats: ChatCache,
                 say: Replies) -> None:
    language = supported(message.from_user.language_code if message.from_user else None)
    result: lc.Redeemed = await bus.handle(
        lc.RedeemCode(message.chat.id, code, purpose, language), actor_for(message.chat.id))
    chats.forget(message.chat.id)
    if result.outcome == lc.LINKED:
        customer = {"name": result.customer_name, "email": result.customer_email}
        await message.answer(say.in_locale(result.locale)("linked", customer=customer))
    elif result.outcome == lc.EXPIRED or purpose == lc.DEEPLINK:
        await message.answer(say("code_expired"))
    else:
        await message.answer(say("code_invalid", attempts_left=result.attempts_left))
