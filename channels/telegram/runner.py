"""How updates arrive: long polling (default) or a webhook on the one aiohttp server."""

from __future__ import annotations

import asyncio
import hmac
import logging

from aiogram import Bot, Dispatcher
from aiogram.webhook.aiohttp_server import SimpleRequestHandler
from aiohttp import web

from channels.http.errors import Handler

log = logging.getLogger(__name__)
WEBHOOK_PATH = "/telegram/webhook"
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"  # noqa: S105 (a header name)


class Polling:
    """Long polling in a task of the running loop; the process owns signals."""

    def __init__(self, dp: Dispatcher, bot: Bot, concurrency: int = 100) -> None:
        self.dp = dp
        self.bot = bot
        # updates handled at once (one getUpdates batch): bounds database connections, and
        # lets a burst share its batched claims and reads
        self.concurrency = concurrency
        self._task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        await self.bot.delete_webhook()  # getUpdates answers 409 while a webhook is set
        self._task = asyncio.create_task(self.dp.start_polling(
            self.bot, handle_signals=False, close_bot_session=False,
            tasks_concurrency_limit=self.concurrency))

    async def stop(self) -> None:
        task = self._task
        if task is not None:
            if not task.done():
                try:
                    await self.dp.stop_polling()
                except RuntimeError:  # not started yet
                    task.cancel()
            try:
                await task
            except asyncio.CancelledError:
                pass
            except Exception:
                log.exception("telegram polling had stopped with an error")
        await self.bot.session.close()


class Webhook:
    """Registers the webhook (with its secret) at start; the route is `handler()`."""

    def __init__(self, dp: Dispatcher, bot: Bot, secret: str, public_url: str) -> None:
        self.dp = dp
        self.bot = bot
        self.secret = secret
        self.url = public_url.rstrip("/") + WEBHOOK_PATH
        # SimpleRequestHandler answers before handling unless told otherwise (True is its
        # default in aiogram 3.31); we answer when the update has been handled.
        self._inner = SimpleRequestHandler(dp, bot, handle_in_background=False,
                                           secret_token=secret)

    def handler(self) -> Handler:
        async def telegram_webhook(request: web.Request) -> web.StreamResponse:
            given = request.headers.get(SECRET_HEADER, "")
            # Fail closed ourselves: aiogram's check lets everything through without a secret.
            if not self.secret or not hmac.compare_digest(given.encode(), self.secret.encode()):
                return web.json_response({"error": "unauthorized"}, status=401)
            return await self._inner.handle(request)

        return telegram_webhook

    async def start(self) -> None:
        await self.bot.set_webhook(self.url, secret_token=self.secret,
                                   allowed_updates=self.dp.resolve_used_update_types())

    async def stop(self) -> None:
        await self.bot.session.close()
