"""Slack is on only with a bot token; HTTP mode mounts /slack/events, Socket Mode does not."""

from __future__ import annotations

from aiohttp.test_utils import TestClient, TestServer

from bot.bootstrap import build_core
from bot.runtime import SERVICE_FACTORIES
from bot.web import build_web_app
from tests.conftest import make_settings
from tests.doubles.slack_signing import sign, slash_command_body


async def status_of_slack_events(database_url: str, **settings: object) -> tuple[int, list[str]]:
    core = build_core(make_settings(database_url, **settings))
    app = build_web_app(core)
    services = [s.name for factory in SERVICE_FACTORIES for s in factory(core, app)
                if s.name.startswith("slack")]
    async with TestClient(TestServer(app)) as http:
        body = slash_command_body(text="help")
        response = await http.post("/slack/events", data=body, headers=sign(body, "secret"))
        status = response.status
    await core.close()
    return status, services


async def test_slack_is_off_without_a_bot_token(database_url: str) -> None:
    assert await status_of_slack_events(database_url) == (404, [])


async def test_socket_mode_replaces_the_http_endpoint(database_url: str) -> None:
    status, services = await status_of_slack_events(
        database_url, slack_bot_token="xoxb-1", slack_app_token="xapp-1")
    assert (status, services) == (404, ["slack-socket-mode"])


async def test_http_mode_checks_signatures(database_url: str) -> None:
    status, services = await status_of_slack_events(
        database_url, slack_bot_token="xoxb-1", slack_signing_secret="another-secret")
    assert (status, services) == (401, [])
