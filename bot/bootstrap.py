"""The composition root: the one place that builds engines, the bus, the web app and every
service of `omsbot run`. Only start-up cost makes an import lazy here: every CLI command
imports this module for `build_core`, so what only `omsbot run` needs (the web app, the
services) is imported when a process is built, aiogram and slack_bolt only when their
channel is configured, and the staff console only on a terminal."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from bot.core import Core
from bot.lifecycle import Lifecycle, configured_components
from bot.services import Service
from bot.settings import Settings
from domain.accounting.policy import journal_policy
from domain.automation.registry import automation_handlers
from domain.clock import Clock, SystemClock
from domain.fulfillment.thirdparty import with_third_party
from domain.linking.handlers import linking_handlers
from domain.messagebus import DomainConfig, MessageBus
from domain.policy import notifications_for
from domain.registry import core_handlers
from storage.access import SqlApiTokens
from storage.engine import Database
from storage.uow import SqlUnitOfWork
from storage.views import SqlReadModel

if TYPE_CHECKING:
    from aiohttp import web

__all__ = ["Core", "Process", "build_core", "build_process", "service_factories"]


def domain_config(settings: Settings) -> DomainConfig:
    return DomainConfig(
        base_currency=settings.base_currency,
        prices_include_tax=settings.prices_include_tax,
        unpaid_hold=settings.unpaid_hold,
        payment_reminder_after=settings.payment_reminder_after,
        return_window=settings.return_window,
        review_request_after=settings.review_request_after,
        default_locale=settings.default_locale,
        timezone=settings.timezone,
        return_address=settings.return_address,
    )


def build_core(settings: Settings, *, clock: Clock | None = None) -> Core:
    clock = clock or SystemClock()
    db = Database(settings.database_url,
                  ping_after_idle=settings.db_ping_after_idle.total_seconds())
    bus = MessageBus(
        uow_factory=lambda: SqlUnitOfWork(db, base_currency=settings.base_currency),
        handlers={**core_handlers(), **automation_handlers(),
                  **linking_handlers(settings.secret())},
        policy=with_third_party(notifications_for),
        clock=clock,
        config=domain_config(settings),
        max_attempts=10,
        journal=journal_policy,
    )
    views = SqlReadModel(db, settings.base_currency, timezone=settings.timezone)
    return Core(settings, clock, db, bus, views, SqlApiTokens(db, clock))


# ---- the `omsbot run` process ----------------------------------------------------------
ServiceFactory = Callable[[Core, "web.Application"], list[Service]]


def _socket_mode_services(core: Core, app: web.Application) -> list[Service]:
    if not (core.settings.slack_bot_token and core.settings.slack_app_token):
        return []
    from bot.slack import socket_mode_services  # lazy for start-up cost: slack_bolt (~1 s)

    return socket_mode_services(core, app)


def _telegram_services(core: Core, app: web.Application) -> list[Service]:
    if not core.settings.telegram_token:
        return []
    from bot.telegram import telegram_services  # lazy for start-up cost: aiogram (seconds)

    return telegram_services(core, app)


def _console_services(core: Core, app: web.Application) -> list[Service]:
    if not in_foreground_terminal():
        return []
    from bot.staff import console_services  # lazy for start-up cost: the console (~0.2 s)

    return console_services(core, app)


def in_foreground_terminal() -> bool:
    """A terminal on both ends, and ours: `make run &` must not read the terminal (the
    kernel would stop the whole server with SIGTTIN)."""
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        return False
    try:
        return os.tcgetpgrp(sys.stdin.fileno()) == os.getpgrp()
    except OSError:
        return False


def service_factories() -> list[ServiceFactory]:
    """What `omsbot run` runs beside the server, in start order."""
    from bot.email_service import email_services
    from bot.outbox_service import outbox_services
    from bot.probes import probe_services
    from bot.scheduler import scheduler_services

    return [outbox_services, email_services, _socket_mode_services, _telegram_services,
            probe_services, scheduler_services, _console_services]


@dataclass
class Process:
    """Everything one `omsbot run` runs: the core, the web app and the services."""

    core: Core
    lifecycle: Lifecycle
    app: web.Application
    services: list[Service]


def build_process(settings: Settings, *, clock: Clock | None = None) -> Process:
    """Build (not start) every part of `omsbot run`."""
    from bot.web import build_web_app

    core = build_core(settings, clock=clock)
    lifecycle = Lifecycle(configured_components(
        bool(settings.telegram_token), bool(settings.slack_bot_token), bool(settings.smtp_url)))
    app = build_web_app(core, lifecycle)
    services = [s for factory in service_factories() for s in factory(core, app)]
    return Process(core, lifecycle, app, services)
