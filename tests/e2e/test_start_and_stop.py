"""`omsbot run` as a real process (CONTRACT §12): stopping loses nothing, Ctrl-C stops it
even with the console open, and an unreachable channel never takes the API down."""

from __future__ import annotations

import asyncio
import os
import shutil
import signal
import sys
import urllib.request
from pathlib import Path
from typing import Any

import aiohttp
from sqlalchemy import func, select

from bot.bootstrap import Core
from storage import orm
from tests.catalog import order_json, small_shop
from tests.e2e.processes import free_port, omsbot_env, omsbot_server
from tests.e2e.test_console import Terminal

ORDERS = 100  # SQLite commits up to 32 in one group: the first answers leave >= 30 in flight
IN_FLIGHT = 30  # CONTRACT §12 / issue 14: SIGTERM during 30 in-flight orders loses none


async def test_sigterm_during_30_orders_in_flight_loses_none(
        core: Core, database_url: str, tmp_path: Path) -> None:
    await small_shop(core.bus, stock=ORDERS)
    token = await core.tokens.create("load")
    headers = {"Authorization": f"Bearer {token}"}
    async with omsbot_server(database_url, tmp_path, ready_path="/readyz") as server, \
            aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=0)) as http:
        first_answer = asyncio.Event()

        async def place(i: int) -> tuple[int, Any]:
            body = order_json(f"STOP-{i}", lines=[{"sku": "MUG-01", "quantity": 1}])
            async with http.post(f"{server.base}/api/v1/orders", json=body,
                                 headers=headers) as resp:
                first_answer.set()
                return resp.status, await resp.json()

        placing = [asyncio.create_task(place(i)) for i in range(ORDERS)]
        await first_answer.wait()
        answered_before = sum(task.done() for task in placing)
        server.process.send_signal(signal.SIGTERM)
        results = await asyncio.gather(*placing)
        exit_code = await asyncio.wait_for(server.process.wait(), 60)

    assert exit_code == 0, server.output()
    assert answered_before <= ORDERS - IN_FLIGHT  # the signal came with 30 orders in flight
    assert [status for status, _ in results] == [201] * ORDERS
    async with core.db.read_sessions() as s:
        stored = await s.scalar(select(func.count()).select_from(orm.orders))
        notified = set(await s.scalars(select(orm.notifications.c.status)))
    assert stored == ORDERS
    assert notified <= {"pending", "sent"}  # delivered, or left for the next start
    assert "stopping" in server.output()


def _run_on_a_terminal(tmp_path: Path, sqlite_template: Path) -> tuple[Terminal, int]:
    shutil.copy(sqlite_template, tmp_path / "omsbot.db")
    port = free_port()
    env = omsbot_env(f"sqlite+aiosqlite:///{tmp_path / 'omsbot.db'}",
                     OMSBOT_HTTP_PORT=str(port), TERM="xterm")
    return Terminal([sys.executable, "-m", "bot", "run"], env, tmp_path,
                    controlling=True), port


def test_ctrl_c_at_the_console_prompt_stops_run(tmp_path: Path, sqlite_template: Path) -> None:
    terminal, _ = _run_on_a_terminal(tmp_path, sqlite_template)
    terminal.expect("oms>", timeout=60)
    terminal.type("\x03")

    assert terminal.close() == 0
    assert "stopping" in terminal.seen


def test_quit_leaves_the_console_says_how_to_stop_and_ctrl_c_stops(
        tmp_path: Path, sqlite_template: Path) -> None:
    terminal, port = _run_on_a_terminal(tmp_path, sqlite_template)
    terminal.expect("oms>", timeout=60)
    terminal.type("quit\r")
    terminal.expect("Press Ctrl-C")
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/readyz", timeout=10) as resp:
        still_serving = resp.status
    terminal.type("\x03")  # the terminal is back in cooked mode: this is SIGINT

    assert still_serving == 200
    assert terminal.close() == 0
    assert "stopping" in terminal.seen


async def test_a_closed_telegram_port_at_start_up_leaves_the_api_serving(
        core: Core, database_url: str, tmp_path: Path) -> None:
    await small_shop(core.bus)
    token = await core.tokens.create("shop")
    closed = f"http://127.0.0.1:{free_port()}"  # nothing listens there
    async with omsbot_server(database_url, tmp_path, ready_path="/readyz", timeout=240,
                             OMSBOT_TELEGRAM_TOKEN="123456:test-token",
                             OMSBOT_TELEGRAM_API_URL=closed) as server, \
            aiohttp.ClientSession() as http:
        for _ in range(600):
            async with http.get(f"{server.base}/healthz") as resp:
                health = await resp.json()
            if health["components"]["telegram"] == "retrying":
                break
            await asyncio.sleep(0.1)
        async with http.post(f"{server.base}/api/v1/orders", json=order_json("UP-1"),
                             headers={"Authorization": f"Bearer {token}"}) as resp:
            placed = resp.status
        mails = await _mails_written(tmp_path / "var" / "outbox", timeout=120)

    # a Telegram outage delays Telegram only: the confirmation mail still goes (no link in it)
    assert len(mails) == 1 and "t.me/" not in mails[0]
    assert health == {"status": "ok", "components": {
        "database": "ok", "telegram": "retrying", "slack": "off", "smtp": "off"}}
    assert placed == 201
    assert server.process.returncode == 0
    assert "telegram-polling could not start" in server.output()


async def _mails_written(folder: Path, *, timeout: float) -> list[str]:
    """The `.eml` files the file outbox wrote, once there is one (or [] after `timeout` s)."""
    for _ in range(int(timeout * 10)):
        mails = sorted(folder.glob("*.eml")) if folder.is_dir() else []
        if mails:
            return [m.read_text(errors="replace") for m in mails]
        await asyncio.sleep(0.1)
    return []


def test_the_pty_helper_is_a_controlling_terminal(tmp_path: Path) -> None:
    terminal = Terminal([sys.executable, "-c", "import os; print(os.tcgetpgrp(0) == "
                         "os.getpgrp())"], dict(os.environ), tmp_path, controlling=True)
    assert terminal.close() == 0
    assert "True" in terminal.seen
