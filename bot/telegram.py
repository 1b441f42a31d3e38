"""Telegram wiring: the bot as a service (long polling, or the webhook route on the one
aiohttp app), and the deep-link provider for customer e-mails."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable

from aiogram.exceptions import AiogramError
from aiohttp import web

from bot.core import Core
from bot.services import Service
from channels.rendering import build_environment
from channels.telegram.app import TelegramDeps, build_bot, build_dispatcher
from channels.telegram.context import TelegramConfig
from channels.telegram.notifier import TelegramNotifier, build_telegram_notifier
from channels.telegram.runner import WEBHOOK_PATH, Polling, Webhook
from channels.understanding.model import warm_up
from domain.linking.commands import IssueDeepLink
from storage.chat_views import SqlChatDirectory
from storage.conversations import SqlConversations

log = logging.getLogger(__name__)
BOT_NAME_TIMEOUT = 5.0  # seconds one getMe may take before a mail goes without the link
BOT_NAME_RETRY_AFTER = 60.0  # seconds between getMe attempts while Telegram does not answer


def telegram_deps(core: Core) -> TelegramDeps:
    s = core.settings
    config = TelegramConfig(s.default_locale, s.timezone, s.return_window, core.clock)
    templates = build_environment()
    templates.auto_reload = False  # a running bot does not edit its templates
    return TelegramDeps(core.bus, core.views, SqlChatDirectory(core.db), templates, config,
                        SqlConversations(core.db, core.clock))


def telegram_services(core: Core, app: web.Application) -> list[Service]:
    """Nothing without OMSBOT_TELEGRAM_TOKEN; a webhook when a secret is set, else polling."""
    s = core.settings
    if not s.telegram_token:
        return []
    bot = build_bot(s.telegram_token, s.telegram_api_url)
    dp = build_dispatcher(telegram_deps(core))
    warm_up()  # the plain-words reader, loaded off the first message's path
    if s.telegram_webhook_secret:
        hook = Webhook(dp, bot, s.telegram_webhook_secret, s.public_url)
        app.router.add_post(WEBHOOK_PATH, hook.handler())
        return [Service("telegram-webhook", hook.start, hook.stop, component="telegram")]
    polling = Polling(dp, bot)
    return [Service("telegram-polling", polling.start, polling.stop, component="telegram")]


def telegram_notifier(core: Core) -> TelegramNotifier | None:
    """For the delivery worker's notifier factories: None while Telegram is off."""
    return build_telegram_notifier(core.settings, core.bus, core.views)


def telegram_link_factory(core: Core) -> Callable[[str], Awaitable[str | None]] | None:
    """For the e-mail notifier's deep links: None while Telegram is off."""
    return telegram_link_provider(core) if core.settings.telegram_token else None


def telegram_link_provider(core: Core, bot_username: str | None = None, *,
                           retry_after: float = BOT_NAME_RETRY_AFTER,
                           ) -> Callable[[str], Awaitable[str | None]]:
    """`https://t.me/<bot>?start=<code>` for a customer with no linked chat, else None (and
    always None while Telegram is off). Without `bot_username` it is asked (getMe) until
    Telegram answers once. While Telegram is unreachable or refuses the token, mails go out
    without the link (a Telegram outage delays Telegram, never e-mail: CONTRACT §8), and it is
    asked again at most every `retry_after` seconds so each mail does not wait for it."""
    username = bot_username
    next_try = 0.0

    async def link_for(email: str) -> str | None:
        nonlocal username, next_try
        token = core.settings.telegram_token
        if not token:
            return None
        if username is None:
            if time.monotonic() < next_try:
                return None
            try:
                username = await asyncio.wait_for(
                    _bot_username(token, core.settings.telegram_api_url), BOT_NAME_TIMEOUT)
            except (AiogramError, OSError, TimeoutError) as exc:
                next_try = time.monotonic() + retry_after
                log.warning("Telegram did not tell the bot's name (%s); e-mails go without "
                            "the Telegram link until it does", type(exc).__name__)
                return None
        code = await core.bus.handle(IssueDeepLink(email))
        return None if code is None else f"https://t.me/{username}?start={code}"

    return link_for


async def _bot_username(token: str, api_url: str) -> str:
    bot = build_bot(token, api_url)
    try:
        return (await bot.me()).username or ""
    finally:
        await bot.session.close()
