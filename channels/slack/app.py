"""The Slack app: slack-bolt's `AsyncApp`, a global middleware that resolves the Slack user
to a staff role before any listener, and the listeners of `channels.slack.listeners`.

HTTP mode: `slack_route(app)` is the aiohttp handler of `POST /slack/events` (bolt checks
every signature; bad or stale ones get 401). Socket Mode: `socket_mode_handler(app, token)`.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from aiohttp import web
from jinja2 import Environment
from slack_bolt.adapter.aiohttp import to_aiohttp_response, to_bolt_request
from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler
from slack_bolt.async_app import AsyncApp, AsyncBoltContext
from slack_bolt.context.respond.async_respond import AsyncRespond
from slack_bolt.response import BoltResponse
from slack_sdk.http_retry.builtin_async_handlers import (
    AsyncConnectionErrorRetryHandler,
    AsyncRateLimitErrorRetryHandler,
)
from slack_sdk.web.async_client import AsyncWebClient

from channels.staff_render import render_template
from channels.staff_service import StaffService, StaffUser
from domain.messagebus import Actor
from domain.ports import ProcessedUpdates, StaffDirectory

log = logging.getLogger(__name__)

STAFF = "staff"  # where the middleware puts the StaffUser in bolt's context
SOURCE = "slack"  # processed_updates.source of Slack deliveries
RATE_LIMIT_RETRIES = 2


@dataclass(frozen=True)
class SlackDeps:
    service: StaffService
    directory: StaffDirectory
    processed: ProcessedUpdates
    env: Environment


def build_client(token: str, base_url: str) -> AsyncWebClient:
    """A Web API client that honours 429 Retry-After and retries dropped connections."""
    return AsyncWebClient(token=token, base_url=base_url, retry_handlers=[
        AsyncConnectionErrorRetryHandler(),
        AsyncRateLimitErrorRetryHandler(max_retry_count=RATE_LIMIT_RETRIES),
    ])


def build_slack_app(deps: SlackDeps, client: AsyncWebClient, *,
                    signing_secret: str | None, socket_mode: bool = False) -> AsyncApp:
    from channels.slack.listeners import register

    if not socket_mode and not signing_secret:
        raise ValueError("HTTP mode needs the signing secret")
    app = AsyncApp(client=client, signing_secret=signing_secret or "",
                   request_verification_enabled=not socket_mode, name="omsbot")
    app.use(staff_middleware(deps))
    register(app, deps)
    return app


def staff_middleware(deps: SlackDeps) -> Callable[..., Awaitable[BoltResponse | None]]:
    async def resolve_staff(context: AsyncBoltContext, body: dict[str, Any],
                            next_: Callable[[], Awaitable[BoltResponse]]) -> BoltResponse | None:
        user_id = context.user_id
        if user_id is None:
            return await next_()
        role = await deps.directory.role_of(user_id)
        if role is None:
            return await _refuse(deps, context, body)
        context[STAFF] = StaffUser(user_id, role, Actor(f"slack:{user_id}", "slack"),
                                   f"<@{user_id}>")
        return await next_()

    return resolve_staff


async def _refuse(deps: SlackDeps, context: AsyncBoltContext,
                  body: dict[str, Any]) -> BoltResponse:
    """Unknown users: "not authorised", and nothing else happens."""
    text = render_template(deps.env, "slack", "not_authorised", {})
    log.info("refused Slack user %s (not staff)", context.user_id)
    if body.get("type") == "block_actions" and context.respond is not None:
        await context.respond(text=text, response_type="ephemeral", replace_original=False)
    if body.get("command"):
        return BoltResponse(status=200, body=text)  # Slack shows it to that user only
    return BoltResponse(status=200, body="")


async def first_delivery(deps: SlackDeps, body: dict[str, Any]) -> bool:
    """False for a delivery seen before (a Slack retry of the same request)."""
    key = body.get("trigger_id") or body.get("event_id")
    if not key:
        return True
    fresh = await deps.processed.claim(SOURCE, str(key))
    if not fresh:
        log.info("ignored a repeated Slack delivery %s", key)
    return fresh


def responder(url: str) -> AsyncRespond:
    """Answer through a response_url kept from earlier (modals have none of their own)."""
    return AsyncRespond(response_url=url)


def slack_route(app: AsyncApp) -> Callable[[web.Request], Awaitable[web.Response]]:
    """The aiohttp handler of POST /slack/events."""
    async def slack_events(request: web.Request) -> web.Response:
        return await to_aiohttp_response(await app.async_dispatch(await to_bolt_request(request)))

    return slack_events


def socket_mode_handler(app: AsyncApp, app_token: str) -> AsyncSocketModeHandler:
    return AsyncSocketModeHandler(app, app_token)
