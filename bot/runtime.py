"""`omsbot run`: the HTTP server and every configured background service in one process."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
import sys
import threading
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from aiohttp import web

from bot.bootstrap import Core, build_core
from bot.email_service import email_services
from bot.outbox_service import outbox_services
from bot.settings import Settings
from bot.web import build_web_app

log = logging.getLogger("omsbot")


@dataclass
class Service:
    """A background part of the process (workers, bots, schedulers)."""

    name: str
    start: Callable[[], Awaitable[None]]
    stop: Callable[[], Awaitable[None]]


ServiceFactory = Callable[[Core, web.Application], list[Service]]


def _slack_services(core: Core, app: web.Application) -> list[Service]:
    from bot.slack import socket_mode_services

    return socket_mode_services(core, app)


def _console_services(core: Core, app: web.Application) -> list[Service]:
    from bot.staff import console_services

    return console_services(core, app)


def _scheduler(core: Core, app: web.Application) -> list[Service]:
    from bot.scheduler import scheduler_services

    return scheduler_services(core, app)


def _telegram(core: Core, app: web.Application) -> list[Service]:
    from bot.telegram import telegram_services  # here: bot.telegram imports this module

    return telegram_services(core, app)


SERVICE_FACTORIES: list[ServiceFactory] = [
    outbox_services, email_services, _slack_services, _telegram, _scheduler, _console_services,
]


class Runtime:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.core = build_core(settings)
        self.app = build_web_app(self.core)
        self.services = [s for factory in SERVICE_FACTORIES for s in factory(self.core, self.app)]
        self._runner: web.AppRunner | None = None
        self.port: int | None = None

    async def start(self) -> None:
        self._runner = web.AppRunner(self.app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.settings.http_host, self.settings.http_port,
                           reuse_address=True)
        await site.start()
        server = site._server
        sockets = getattr(server, "sockets", None) or []
        self.port = sockets[0].getsockname()[1] if sockets else self.settings.http_port
        for service in self.services:
            await service.start()
            log.info("started %s", service.name)

    async def stop(self) -> None:
        for service in reversed(self.services):
            with contextlib.suppress(Exception):
                await service.stop()
        if self._runner is not None:
            await self._runner.cleanup()
        await self.core.close()


async def serve(settings: Settings, ready: Callable[[Runtime], None] | None = None) -> None:
    runtime = Runtime(settings)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    # Signal handlers exist only in the main thread of a POSIX process.
    if sys.platform != "win32" and threading.current_thread() is threading.main_thread():
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, stop.set)
    await runtime.start()
    try:
        if ready is not None:
            ready(runtime)
        await stop.wait()
    finally:
        await runtime.stop()
