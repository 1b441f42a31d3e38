"""The real aiogram bot of omsbot against FakeTelegramAPI, fed by long polling or webhook."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field, fields
from typing import Any

from aiohttp.test_utils import TestClient, TestServer
from sqlalchemy import select

from bot.bootstrap import Core, build_core
from bot.runtime import Service
from bot.telegram import telegram_services
from bot.web import build_web_app
from domain.clock import FixedClock
from domain.notifications import Notification
from storage import orm
from tests.conftest import make_settings
from tests.doubles import FakeTelegramAPI

TOKEN = "42:TEST-TOKEN"
SECRET = "hook-secret_1"


@dataclass
class Rig:
    core: Core
    api: FakeTelegramAPI
    mode: str  # polling | webhook
    client: TestClient[Any, Any] | None = None
    services: list[Service] = field(default_factory=list)

    async def post(self, update: dict[str, Any], secret: str | None = SECRET) -> int:
        assert self.client is not None
        headers = {"X-Telegram-Bot-Api-Secret-Token": secret} if secret is not None else {}
        response = await self.client.post("/telegram/webhook", json=update, headers=headers)
        return response.status

    async def deliver(self, update: dict[str, Any]) -> None:
        if self.mode == "webhook":
            assert await self.post(update) == 200
        else:
            self.api.push_raw(update)

    async def send(self, chat: int, text: str, *, language: str = "en") -> str:
        """The bot's one reply to `text` from `chat`."""
        before = len(self.api.sent_messages(chat))
        await self.deliver(self.api.make_message_update(chat, text, language_code=language))
        return str((await self.api.wait_for_messages(before + 1, chat))[-1]["text"])

    async def press(self, chat: int, data: str, message_id: int) -> dict[str, Any]:
        before = len(self.api.sent_messages(chat))
        await self.deliver(self.api.make_callback_update(chat, data, message_id=message_id))
        return (await self.api.wait_for_messages(before + 1, chat))[-1]

    def last(self, chat: int) -> dict[str, Any]:
        return self.api.sent_messages(chat)[-1]

    async def notifications(self, **where: Any) -> list[Notification]:
        """Stored notifications (the outbox), oldest first, filtered by column values."""
        t = orm.notifications
        stmt = select(t).where(*(t.c[k] == v for k, v in where.items())).order_by(t.c.id)
        async with self.core.db.read_sessions() as s:
            rows = list(await s.execute(stmt))
        names = [f.name for f in fields(Notification)]
        return [Notification(**{k: v for k, v in row._mapping.items() if k in names})
                for row in rows]


@asynccontextmanager
async def running_rig(database_url: str, clock: FixedClock, mode: str) -> AsyncIterator[Rig]:
    async with FakeTelegramAPI() as api:
        overrides: dict[str, object] = {"telegram_token": TOKEN,
                                        "telegram_api_url": await api.start()}
        if mode == "webhook":
            overrides["telegram_webhook_secret"] = SECRET
        core = build_core(make_settings(database_url, **overrides), clock=clock)
        app = build_web_app(core)
        rig = Rig(core, api, mode, services=telegram_services(core, app))
        try:
            if mode == "webhook":
                rig.client = TestClient(TestServer(app))
                await rig.client.start_server()
            for service in rig.services:
                await service.start()
            yield rig
        finally:
            for service in rig.services:
                await service.stop()
            if rig.client is not None:
                await rig.client.close()
            await core.close()

