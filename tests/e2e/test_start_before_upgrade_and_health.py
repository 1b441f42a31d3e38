"""`omsbot run` as a real process before `omsbot db upgrade`, and what /healthz says of
channels it cannot reach (CONTRACT §3, §4, §12; the tester's F14b).

A database that was never migrated: the server starts, /healthz answers, /readyz is 503 with
the reason ("run `omsbot db upgrade` first", one log line, no traceback, no SQL), nothing
that needs the schema runs; `omsbot db upgrade` from another terminal makes it ready.
SMTP and Slack configured against closed ports: the API serves and /healthz says
`retrying` for both; against servers that answer, `ok`.
"""

from __future__ import annotations

import asyncio
import signal
import sys
import uuid
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import aiohttp
import asyncpg
import pytest
from sqlalchemy.engine import make_url

from tests.conftest import POSTGRES_URL, _pg_dsn
from tests.doubles.slack_api import FakeSlackAPI
from tests.doubles.smtp_sink import SmtpSink
from tests.e2e.processes import free_port, omsbot_env, omsbot_server

NOT_MIGRATED = "the database has not been set up: run `omsbot db upgrade` first"


@pytest.fixture(params=["sqlite", "postgres"])
async def never_migrated(request: pytest.FixtureRequest, tmp_path: Path
                         ) -> AsyncIterator[str]:
    """The URL of a database nobody ran `omsbot db upgrade` on (a new SQLite file, or a new
    PostgreSQL database dropped afterwards)."""
    if request.param == "sqlite":
        yield f"sqlite+aiosqlite:///{tmp_path / 'never.db'}"
        return
    if not POSTGRES_URL:
        pytest.skip("OMSBOT_TEST_POSTGRES_URL is not set: PostgreSQL tests skipped")
    name = f"omsbot_never_{uuid.uuid4().hex[:10]}"
    admin = await asyncpg.connect(_pg_dsn(POSTGRES_URL))
    try:
        await admin.execute(f'CREATE DATABASE "{name}"')
        yield make_url(POSTGRES_URL).set(database=name).render_as_string(hide_password=False)
    finally:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.close()


async def get(http: aiohttp.ClientSession, url: str) -> tuple[int, Any]:
    async with http.get(url) as resp:
        return resp.status, await resp.json()


async def db_upgrade(database_url: str, cwd: Path) -> int:
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "db", "upgrade", cwd=cwd, env=omsbot_env(database_url),
        stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.DEVNULL)
    return await asyncio.wait_for(proc.wait(), 120)


async def test_run_before_db_upgrade_waits_says_why_and_serves_once_upgraded(
        never_migrated: str, tmp_path: Path) -> None:
    async with omsbot_server(never_migrated, tmp_path, ready_path="/healthz") as server, \
            aiohttp.ClientSession() as http:
        health = await get(http, f"{server.base}/healthz")
        waiting = await get(http, f"{server.base}/readyz")
        for _ in range(100):  # on a busy machine its first look at the schema may be later
            if waiting[1].get("reason") != "starting":
                break
            await asyncio.sleep(0.05)
            waiting = await get(http, f"{server.base}/readyz")
        await asyncio.sleep(3)  # a few looks at the schema: still one line, no traceback
        said_while_waiting = server.output()

        assert await db_upgrade(never_migrated, tmp_path) == 0
        ready = None
        for _ in range(300):
            ready = await get(http, f"{server.base}/readyz")
            if ready[0] == 200:
                break
            await asyncio.sleep(0.1)
        server.process.send_signal(signal.SIGTERM)
        exit_code = await asyncio.wait_for(server.process.wait(), 60)

    assert health == (200, {"status": "ok", "components": {
        "database": "ok", "telegram": "off", "slack": "off", "smtp": "off"}})
    assert waiting == (503, {"status": "not_ready", "reason": NOT_MIGRATED})
    assert said_while_waiting.count(NOT_MIGRATED) == 1
    for noise in ("Traceback", "[SQL:", "OperationalError", "UndefinedTable", "sqlalche.me"):
        assert noise not in said_while_waiting
    assert "started outbox worker" not in said_while_waiting  # nothing ran on no schema
    assert ready == (200, {"status": "ready"})
    assert "started outbox worker" in server.output()
    assert exit_code == 0


async def test_stopping_while_it_waits_for_the_schema_is_clean(
        never_migrated: str, tmp_path: Path) -> None:
    async with omsbot_server(never_migrated, tmp_path, ready_path="/healthz") as server:
        server.process.send_signal(signal.SIGTERM)
        exit_code = await asyncio.wait_for(server.process.wait(), 30)

    assert exit_code == 0
    assert "Traceback" not in server.output()


async def _components(http: aiohttp.ClientSession, base: str, want: dict[str, str]
                      ) -> dict[str, str]:
    """/healthz's components once they are `want` (or as they are after 30 s)."""
    components: dict[str, str] = {}
    for _ in range(300):
        status, body = await get(http, f"{base}/healthz")
        components = body["components"]
        if status == 200 and all(components[k] == v for k, v in want.items()):
            break
        await asyncio.sleep(0.1)
    return components


async def test_health_says_retrying_for_smtp_and_slack_it_cannot_reach(
        database_url: str, tmp_path: Path) -> None:
    closed = free_port()  # nothing listens there
    async with omsbot_server(database_url, tmp_path, ready_path="/readyz",
                             OMSBOT_SMTP_URL=f"smtp://127.0.0.1:{closed}",
                             OMSBOT_SLACK_BOT_TOKEN="xoxb-test",
                             OMSBOT_SLACK_SIGNING_SECRET="secret",
                             OMSBOT_SLACK_API_URL=f"http://127.0.0.1:{closed}/api/") as server, \
            aiohttp.ClientSession() as http:
        components = await _components(http, server.base, {"smtp": "retrying",
                                                           "slack": "retrying"})
        ready = await get(http, f"{server.base}/readyz")

    assert components == {"database": "ok", "telegram": "off", "slack": "retrying",
                          "smtp": "retrying"}
    assert ready == (200, {"status": "ready"})  # an outside channel never holds the API
    assert "check-smtp could not start" in server.output()
    assert "check-slack could not start" in server.output()
    assert "Traceback" not in server.output()


async def test_health_says_ok_once_smtp_and_slack_answer(
        database_url: str, tmp_path: Path) -> None:
    sink = await SmtpSink().start()
    try:
        async with FakeSlackAPI() as slack, \
                omsbot_server(database_url, tmp_path, ready_path="/readyz",
                              OMSBOT_SMTP_URL=sink.url, OMSBOT_SLACK_BOT_TOKEN="xoxb-test",
                              OMSBOT_SLACK_SIGNING_SECRET="secret",
                              OMSBOT_SLACK_API_URL=await slack.start()) as server, \
                aiohttp.ClientSession() as http:
            checked = await slack.wait_for("auth.test")
            for _ in range(300):  # both checks passed (the log says so), then ask
                if all(f"started check-{c}" in server.output() for c in ("smtp", "slack")):
                    break
                await asyncio.sleep(0.1)
            components = await _components(http, server.base, {})
    finally:
        await sink.stop()

    assert "started check-smtp" in server.output()
    assert "started check-slack" in server.output()
    assert components == {"database": "ok", "telegram": "off", "slack": "ok", "smtp": "ok"}
    assert len(checked) >= 1
    assert "could not start" not in server.output()

