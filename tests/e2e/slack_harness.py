"""The whole Slack path for end-to-end tests: our aiohttp server (with the real bolt app at
POST /slack/events) on a real database, talking to FakeSlackAPI, fed requests signed as
Slack signs them."""

from __future__ import annotations

import asyncio
import itertools
import json
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs, urlencode

import pytest
from aiohttp import ClientResponse
from aiohttp.test_utils import TestClient, TestServer
from sqlalchemy import select

from bot.bootstrap import Core, build_core
from bot.web import build_web_app
from domain.clock import FixedClock
from domain.messagebus import SYSTEM
from domain.orders import commands as oc
from domain.returns import commands as rc
from domain.staff.commands import SetStaffRole
from domain.staff.model import Role
from storage import orm
from tests.catalog import order_command, small_shop
from tests.conftest import make_settings
from tests.doubles import FakeSlackAPI
from tests.doubles.slack_signing import (
    block_action_body,
    sign,
    slash_command_body,
    view_submission_body,
)

SECRET = "signing-secret"
ADMIN, OPERATOR, VIEWER, STRANGER = "UADMIN", "UOPER", "UVIEW", "USTRANGER"
JSON = dict[str, Any]
_ids = itertools.count(1)


@dataclass
class Shop:
    core: Core
    http: TestClient  # type: ignore[type-arg]
    slack: FakeSlackAPI

    async def post(self, body: bytes, *, timestamp: int | None = None, secret: str = SECRET,
                   retry: int | None = None) -> ClientResponse:
        headers = sign(body, secret, timestamp)
        if retry is not None:
            headers |= {"X-Slack-Retry-Num": str(retry), "X-Slack-Retry-Reason": "http_timeout"}
        return await self.http.post("/slack/events", data=body, headers=headers)

    async def command(self, text: str, user: str = OPERATOR, *, name: str | None = None
                      ) -> tuple[ClientResponse, str]:
        """`/oms text` from `user`; returns the response and the response_url's name."""
        name = name or f"cmd{next(_ids)}"
        body = slash_command_body(text=text, user_id=user, response_url=self.slack.response_url(
            name), trigger_id=f"{next(_ids)}.trigger")
        return await self.post(body), name

    async def ask(self, text: str, user: str = OPERATOR) -> JSON:
        """`/oms text` and the one answer it gets through its response_url."""
        response, name = await self.command(text, user)
        assert response.status == 200, await response.text()
        [answer] = await self.slack.wait_for_response(name)
        return answer

    def click_body(self, action_id: str, value: str, user: str = OPERATOR, *,
                   name: str = "click", ephemeral: bool = False,
                   trigger_id: str | None = None) -> bytes:
        body = block_action_body(action_id, value, user, response_url=self.slack.response_url(
            name), trigger_id=trigger_id or f"{next(_ids)}.trigger")
        if ephemeral:
            payload = json.loads(parse_qs(body.decode())["payload"][0])
            payload["container"]["is_ephemeral"] = True
            body = urlencode({"payload": json.dumps(payload)}).encode()
        return body

    async def click(self, action_id: str, value: str, user: str = OPERATOR, *,
                    name: str = "click", ephemeral: bool = False) -> ClientResponse:
        return await self.post(self.click_body(action_id, value, user, name=name,
                                               ephemeral=ephemeral))

    async def submit(self, callback_id: str, metadata: str, values: dict[str, JSON],
                     user: str = OPERATOR, view_id: str = "V0001") -> ClientResponse:
        body = view_submission_body(callback_id, metadata, values, user, view_id=view_id,
                                    trigger_id=f"{next(_ids)}.trigger")
        return await self.post(body)

    async def order(self, number: int) -> JSON:
        view = await self.core.views.order(number)
        assert view is not None
        return view

    async def audit(self, action: str) -> list[tuple[str, str, JSON]]:
        t = orm.audit_log
        async with self.core.db.read_sessions() as s:
            rows = await s.execute(select(t.c.actor, t.c.subject, t.c.details)
                                   .where(t.c.action == action).order_by(t.c.id))
            return [(r.actor, r.subject, r.details) for r in rows]

    async def settle(self) -> None:
        """Let listeners that run after ack() finish what they would do."""
        await asyncio.sleep(0.3)


def text_of(message: JSON) -> str:
    return str(message.get("text", ""))


def buttons(message: JSON) -> list[tuple[str, str]]:
    return [(element["action_id"], element["value"]) for block in message.get("blocks", [])
            if block["type"] == "actions" for element in block["elements"]]


async def delivered_order_with_return(core: Core) -> tuple[int, int]:
    """An order placed, shipped and delivered, and a return requested for it."""
    placed = await core.bus.handle(order_command("WEB-RET"))
    await core.bus.handle(oc.ShipOrder(placed.order_id, "DHL", "TRK-RET"))
    await core.bus.handle(oc.DeliverOrder(placed.order_id))
    ret = await core.bus.handle(rc.RequestReturn(placed.order_id, "too small"))
    return placed.order_id, ret.return_id


@pytest.fixture
async def shop(database_url: str, clock: FixedClock, request: pytest.FixtureRequest
               ) -> AsyncIterator[Shop]:
    """The shop behind bolt; `indirect` parametrisation gives OMSBOT_STAFF_LOCALE ("en")."""
    async with FakeSlackAPI() as slack:
        settings = make_settings(database_url, slack_bot_token="xoxb-test",
                                 slack_signing_secret=SECRET, slack_api_url=await slack.start(),
                                 staff_locale=getattr(request, "param", "en"))
        core = build_core(settings, clock=clock)
        await small_shop(core.bus)
        for user, role in ((ADMIN, Role.ADMIN), (OPERATOR, Role.OPERATOR),
                           (VIEWER, Role.VIEWER)):
            await core.bus.handle(SetStaffRole(user, role), SYSTEM)
        http = TestClient(TestServer(build_web_app(core)))
        await http.start_server()
        try:
            yield Shop(core, http, slack)
        finally:
            await http.close()
            await core.close()
