"""Telegram wiring: the bot as a service (long polling, or the webhook route on the one
aiohttp app), and the deep-link provider for customer e-mails."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

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


def telegram_link_provider(core: Core, bot_username: str | None = None
                           ) -> Callable[[str], Awaitable[str | None]]:
    """`https://t.me/<bot>?start=<code>` for a customer with no linked chat, else None (and
    always None while Telegram is off). Without `bot_username` it is asked once (getMe)."""
    username = bot_username

    async def link_for(email: str) -> str | None:
        nonlocal username
        token = core.settings.telegram_token
        if not token:
            return None
        if username is None:
            username = await _bot_username(token, core.settings.telegram_api_url)
        code = await core.bus.handle(IssueDeepLink(email))
        return None if code is None else f"https://t.me/{username}?start={code}"

    return link_for


async def _bot_username(token: str, api_url: str) -> str:
    bot = build_bot(token, api_url)
    try:
        return (await bot.me()).username or ""
    finally:
        await bot.session.close()
