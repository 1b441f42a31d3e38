"""Start-up checks of the outside services that /healthz names but that keep no connection
of their own: the SMTP server (connect, log in, QUIT) and Slack in HTTP mode (auth.test).

Each is a Service with a component, so the runtime runs it in the background, retried with
back-off (bot/lifecycle.py `retry_forever`), and /healthz reports what was last seen: the
component is `retrying` while the check fails and `ok` once it passes. After that, every
send reports as it goes (bot/health_notifier.py). Telegram and Slack's Socket Mode connect
as services of their own and report the same way; without OMSBOT_SMTP_URL mail goes to
files and there is nothing to check.
"""

from __future__ import annotations

from aiohttp import web

from bot.core import Core
from bot.services import Service


async def _nothing() -> None:
    return None


def _smtp_check(url: str) -> Service:
    from channels.email.transport import check_smtp, parse_smtp_url

    target = parse_smtp_url(url)

    async def check() -> None:
        await check_smtp(target)

    return Service("check-smtp", check, _nothing, component="smtp")


def _slack_check(token: str, api_url: str) -> Service:
    async def check() -> None:
        from channels.slack.client import build_client  # slack_sdk only when Slack is on

        await build_client(token, api_url).auth_test()  # SlackApiError: a refused token

    return Service("check-slack", check, _nothing, component="slack")


def probe_services(core: Core, app: web.Application) -> list[Service]:
    """The checks of what is configured: SMTP with OMSBOT_SMTP_URL, Slack in HTTP mode."""
    s = core.settings
    services = [_smtp_check(s.smtp_url)] if s.smtp_url else []
    if s.slack_bot_token and not s.slack_app_token:
        services.append(_slack_check(s.slack_bot_token, s.slack_api_url))
    return services
