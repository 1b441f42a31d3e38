"""The Slack app: slack-bolt's `AsyncApp`, a global middleware that resolves the Slack user
to a staff role before any listener, and the listeners of `channels.slack.listeners`.

HTTP mode: `slack_route(app)` is the aiohttp handler of `POST /slack/events` (bolt checks
every signature; bad or stale ones get 401). Socket Mode: `socket_mode_handler(app, token)`.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response, to_bolt_request
from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler
from slack_bolt.async_app import AsyncApp, AsyncBoltContext
from slack_bolt.response import BoltResponse
from slack_sdk.web.async_client import AsyncWebClient

from channels.slack.client import build_client
from channels.slack.context import STAFF, SlackDeps
from channels.slack.conversation import register_conversation
from channels.slack.listeners import register
from channels.staff_render import render_template
from channels.staff_replies import StaffUser
from domain.messagebus import Actor

log = logging.getLogger(__name__)

__all__ = ["build_client", "build_slack_app", "slack_route", "socket_mode_handler"]


def build_slack_app(deps: SlackDeps, client: AsyncWebClient, *,
                    signing_secret: str | None, socket_mode: bool = False) -> AsyncApp:
    if not socket_mode and not signing_secret:
        raise ValueError("HTTP mode needs the signing secret")
    app = AsyncApp(client=client, signing_secret=signing_secret or "",
                   request_verification_enabled=not socket_mode, name="omsbot")
    app.use(staff_middleware(deps))
    register(app, deps)
    if deps.talk is not None:
        register_conversation(app, deps, deps.talk)
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


def slack_route(app: AsyncApp) -> Callable[[web.Request], Awaitable[web.Response]]:
    """The aiohttp handler of POST /slack/events."""
    async def slack_events(request: web.Request) -> web.Response:
        return await to_aiohttp_response(await app.async_dispatch(await to_bolt_request(request)))

    return slack_events


def socket_mode_handler(app: AsyncApp, app_token: str) -> AsyncSocketModeHandler:
    return AsyncSocketModeHandler(app, app_token)
