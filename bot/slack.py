"""Slack wiring: the staff service, the bolt app (HTTP route or Socket Mode service) and the
alerts-channel notifier, built from settings. Slack is on only with OMSBOT_SLACK_BOT_TOKEN."""

from __future__ import annotations

import asyncio
import contextlib

from aiohttp import web
from slack_bolt.async_app import AsyncApp

from bot.core import Core
from bot.services import Service
from bot.settings import Settings
from bot.staff import build_staff_service, build_staff_talk
from channels.slack.app import build_client, build_slack_app, slack_route, socket_mode_handler
from channels.slack.context import SlackDeps
from channels.slack.notifier import SlackNotifier
from channels.slack.people import SlackPeople
from channels.staff_render import staff_environment
from domain.notifications import Notifier
from domain.queries import ReadModel
from storage.staff import SqlProcessedUpdates

SLACK_EVENTS_PATH = "/slack/events"


def build_slack(core: Core, *, socket_mode: bool = False) -> AsyncApp:
    settings = core.settings
    assert settings.slack_bot_token is not None
    client = build_client(settings.slack_bot_token, settings.slack_api_url)
    service = build_staff_service(core, SlackPeople(client))
    deps = SlackDeps(service, service.directory, SqlProcessedUpdates(core.db, core.clock),
                     staff_environment(settings.staff_locale),
                     build_staff_talk(core, service, "slack", "/oms "))
    return build_slack_app(deps, client, signing_secret=settings.slack_signing_secret,
                           socket_mode=socket_mode)


def mount_slack(app: web.Application, core: Core) -> None:
    """HTTP mode (a bot token and no app token): POST /slack/events on the one server."""
    settings = core.settings
    if settings.slack_bot_token and not settings.slack_app_token:
        app.router.add_post(SLACK_EVENTS_PATH, slack_route(build_slack(core)))


def socket_mode_services(core: Core, app: web.Application) -> list[Service]:
    """Socket Mode (OMSBOT_SLACK_APP_TOKEN set): a connection Slack pushes requests into."""
    settings = core.settings
    if not (settings.slack_bot_token and settings.slack_app_token):
        return []
    handler = socket_mode_handler(build_slack(core, socket_mode=True), settings.slack_app_token)

    async def stop() -> None:
        with contextlib.suppress(asyncio.CancelledError):
            await handler.close_async()  # type: ignore[no-untyped-call]

    return [Service("slack-socket-mode", handler.connect_async, stop, component="slack")]


def build_slack_notifier(settings: Settings, views: ReadModel | None = None) -> Notifier | None:
    """The alerts-channel notifier for the outbox worker; None when Slack or the alerts
    channel is not configured. `views` lets alerts show the order with its buttons."""
    if not settings.slack_bot_token or not settings.slack_alerts_channel:
        return None
    client = build_client(settings.slack_bot_token, settings.slack_api_url)
    return SlackNotifier(client, settings.slack_alerts_channel,
                         staff_environment(settings.staff_locale), views)
