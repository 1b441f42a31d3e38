"""`omsbot run`: the HTTP server and every configured background service in one process.

Start: the server listens first (so /healthz answers at once). While the database is not
at the newest migration (never set up, behind, or not answering) it waits, saying why in
one log line and in /readyz, and starts nothing that needs the schema. Then our own
services start in order (one that fails stops those already started, and the process
exits), while each outside channel (Telegram, Slack, SMTP) connects in the background,
retried with back-off, without holding anything up. /readyz turns 200 when that is done.

Stop (SIGTERM, Ctrl-C, or Ctrl-C at the console): /readyz answers 503, the server stops
listening and lets requests in flight finish, then the services stop in reverse order
(the delivery worker records the batch it holds, which releases its claims).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable

from aiohttp import web
from sqlalchemy.exc import SQLAlchemyError

from bot.bootstrap import build_process, service_factories
from bot.cli_errors import BEHIND, NOT_MIGRATED, failure_line
from bot.lifecycle import Phase, retry_forever
from bot.services import Service
from bot.settings import Settings
from storage.schema import SchemaState, schema_state

__all__ = ["SERVICE_FACTORIES", "Runtime", "Service", "StartFailed", "serve"]

log = logging.getLogger("omsbot")
SERVICE_FACTORIES = service_factories()
SHUTDOWN_GRACE = 30.0  # seconds requests in flight get to finish
SCHEMA_POLL = 2.0  # seconds between looks at a schema that is not at the newest migration


class StartFailed(Exception):
    """One of our own services could not start; what had started is stopped again."""


class Runtime:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        process = build_process(settings)
        self.core, self.app, self.lifecycle = process.core, process.app, process.lifecycle
        self.services = process.services
        self._runner: web.AppRunner | None = None
        self._started: list[Service] = []
        self._connecting: list[asyncio.Task[None]] = []
        self.port: int | None = None

    async def start(self) -> None:
        """Listen, wait until the schema is at the newest migration, start every service;
        raises StartFailed. Returns early, with nothing started, when a stop is requested
        while it waits."""
        await self._listen()
        if not await self._wait_for_schema():
            return
        for service in self.services:
            if service.component is not None:
                self._connect_in_background(service)
                continue
            try:
                await service.start()
            except Exception as exc:
                log.debug("%s could not start", service.name, exc_info=True)
                await self.stop()
                raise StartFailed(f"{service.name} could not start: {_reason(exc)}"
                                  ) from None
            self._started.append(service)
            log.info("started %s", service.name)
        await asyncio.sleep(0)  # each background connect makes its first attempt now
        self.lifecycle.not_ready_reason = None
        self.lifecycle.phase = Phase.READY
        for service in self._started:
            if service.when_ready is not None:
                try:
                    await service.when_ready()
                except Exception:
                    log.exception("%s: what follows start-up failed", service.name)

    async def _listen(self) -> None:
        self._runner = web.AppRunner(self.app, access_log=None, shutdown_timeout=SHUTDOWN_GRACE)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.settings.http_host, self.settings.http_port,
                           reuse_address=True)
        try:
            await site.start()
        except OSError as exc:
            await self._runner.cleanup()
            raise StartFailed(f"cannot listen on {self.settings.http_host}:"
                              f"{self.settings.http_port}: {exc.strerror or exc}") from None
        sockets = getattr(site._server, "sockets", None) or []
        self.port = sockets[0].getsockname()[1] if sockets else self.settings.http_port

    def _connect_in_background(self, service: Service) -> None:
        component = service.component
        assert component is not None

        async def connect() -> None:
            await retry_forever(service.name, service.start,
                                lambda state: self.lifecycle.health.report(component, state))
            log.info("started %s", service.name)

        self._started.append(service)  # stopped at the end even if it never connected
        self._connecting.append(asyncio.create_task(connect(), name=f"connect {service.name}"))

    async def _wait_for_schema(self) -> bool:
        """Until the database answers at the newest migration, /readyz says why (one log
        line per new reason, no traceback: CONTRACT §3) and nothing that needs the schema
        runs; the server meanwhile answers /healthz and /readyz. Another process (or the
        operator) running `omsbot db upgrade` ends the wait. False: a stop came first."""
        while True:
            reason = await self._schema_problem()
            if reason is None:
                return True
            if reason != self.lifecycle.not_ready_reason:
                log.error("%s; waiting (GET /readyz answers 503 until then)", reason)
                self.lifecycle.not_ready_reason = reason
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.lifecycle.stop_requested.wait(), SCHEMA_POLL)
            if self.lifecycle.stop_requested.is_set():
                return False

    async def _schema_problem(self) -> str | None:
        """Why the schema is not usable yet (a line a shop owner understands), or None."""
        try:
            state = await schema_state(self.core.db)
        except Exception as exc:  # the database may come later
            return failure_line(exc)
        return {SchemaState.CURRENT: None, SchemaState.EMPTY: NOT_MIGRATED,
                SchemaState.BEHIND: BEHIND}[state]

    async def stop(self) -> None:
        """Drain the server, then stop what started (newest first) and close the core."""
        self.lifecycle.phase = Phase.STOPPING
        for task in self._connecting:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
        if self._runner is not None:
            await self._runner.cleanup()  # stops listening, waits for requests in flight
            self._runner = None
        for service in reversed(self._started):
            try:
                await service.stop()
            except Exception:
                log.exception("%s did not stop cleanly", service.name)
        self._started.clear()
        await self.core.close()


def _reason(exc: Exception) -> str:
    """One line: a database error explained (never an SQL dump), else the error's text."""
    return failure_line(exc) if isinstance(exc, SQLAlchemyError) else (
        str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__)


async def serve(settings: Settings, ready: Callable[[Runtime], None] | None = None) -> None:
    """Run until SIGINT/SIGTERM (or the console asks to stop); raises StartFailed."""
    runtime = Runtime(settings)
    runtime.lifecycle.install_signal_handlers()
    await runtime.start()
    try:
        if ready is not None and not runtime.lifecycle.stop_requested.is_set():
            ready(runtime)
        await runtime.lifecycle.stop_requested.wait()
    finally:
        await runtime.stop()
