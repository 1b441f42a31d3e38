"""Builds the aiogram Bot and Dispatcher: routers from factories, dependencies injected as
workflow data (bus, views, chats, templates, config), the chat-context middleware."""

from __future__ import annotations

from dataclasses import dataclass

from aiogram import Bot, Dispatcher
from aiogram.client.default import DefaultBotProperties
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.enums import ParseMode
from jinja2 import Environment

from channels.telegram.chat_cache import ChatCache
from channels.telegram.context import ChatContextMiddleware, TelegramConfig
from channels.telegram.errors import build_error_router
from channels.telegram.groups import GroupGate
from channels.telegram.responses import KeepResponseModels
from channels.telegram.routers.general import build_general_router
from channels.telegram.routers.linking import build_linking_router
from channels.telegram.routers.orders import build_orders_router
from channels.telegram.routers.returns import build_returns_router
from channels.telegram.routers.talk import build_talk_router
from channels.understanding.memory import ConversationMemory
from domain.linking.queries import ChatDirectory
from domain.messagebus import MessageBus
from domain.queries import ReadModel


@dataclass(frozen=True)
class TelegramDeps:
    bus: MessageBus
    views: ReadModel
    chats: ChatDirectory
    templates: Environment
    config: TelegramConfig
    memory: ConversationMemory | None = None  # plain words on when given


def build_bot(token: str, api_url: str) -> Bot:
    session = AiohttpSession(api=TelegramAPIServer.from_base(api_url))
    session.middleware(KeepResponseModels())  # parse answers without rebuilding models
    return Bot(token, session=session, default=DefaultBotProperties(
        parse_mode=ParseMode.HTML, link_preview_is_disabled=True))


def build_dispatcher(deps: TelegramDeps) -> Dispatcher:
    chats = ChatCache(deps.chats)
    dp = Dispatcher(disable_fsm=True, bus=deps.bus, views=deps.views, chats=chats,
                    templates=deps.templates, config=deps.config, memory=deps.memory)
    dp.update.outer_middleware(GroupGate())  # groups: only commands addressed to us
    dp.update.outer_middleware(ChatContextMiddleware(deps.bus, chats, deps.templates,
                                                     deps.config))
    # A message visits the routers in order until one handles it: the busiest commands
    # first; the general router (help for anything else) last. Errors reach the error
    # router wherever it stands, so it stands where no message has to pass it.
    dp.include_routers(build_orders_router(), build_returns_router(), build_linking_router())
    if deps.memory is not None:
        dp.include_router(build_talk_router())
    dp.include_routers(build_general_router(), build_error_router())
    return dp
