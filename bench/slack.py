"""Latency of signed `/oms order N` and `/oms stock SKU` on our server, next to a bare bolt app.

Both apps are served the same way (aiohttp, `POST /slack/events`, bolt's signature check)
and talk to the fake Slack Web API. The database gets `--orders` orders from bench/bulk.py
first (1,000,000 by default). Figures: the time until Slack gets its HTTP answer (the ack)
for both apps, and for ours also until the reply reaches the response_url.

    python bench/slack.py [--orders 1000000] [--requests 2000] [--database-url URL]
"""

from __future__ import annotations

import sys
from pathlib import Path

# Run as `python bench/NAME.py`, this folder comes first on the path, and bench/email.py
# would hide the standard library's `email`: put the project root there instead.
sys.path[0] = str(Path(__file__).resolve().parents[1])

import argparse
import asyncio
import itertools
import random
import statistics
import sys
import time
import uuid
from pathlib import Path

from aiohttp import ClientSession, web
from slack_bolt.async_app import AsyncAck, AsyncApp

from bench.bulk import build
from bench.common import freeze_as_omsbot_run
from bot.bootstrap import build_core
from bot.settings import load_settings
from bot.web import build_web_app
from channels.slack.app import build_client, slack_route
from domain.messagebus import SYSTEM
from domain.staff.commands import SetStaffRole
from domain.staff.model import Role
from tests.doubles import FakeSlackAPI
from tests.doubles.slack_signing import sign, slash_command_body

SECRET = "bench-signing-secret"
USER = "UBENCH"
_ids = itertools.count(1)
RUN = uuid.uuid4().hex[:8]  # trigger ids are claimed once per database: new ones each run


async def serve(app: web.Application) -> tuple[web.AppRunner, str]:
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    host, port = runner.addresses[0][:2]
    return runner, f"http://{host}:{port}/slack/events"


def bare_app(api_url: str) -> web.Application:
    bolt = AsyncApp(client=build_client("xoxb-test", api_url), signing_secret=SECRET)

    @bolt.command("/oms")
    async def only_ack(ack: AsyncAck) -> None:
        await ack()

    app = web.Application()
    app.router.add_post("/slack/events", slack_route(bolt))
    return app


async def timed(session: ClientSession, url: str, slack: FakeSlackAPI, text: str,
                wait_answer: bool) -> tuple[float, float | None]:
    name = f"r{next(_ids)}"
    body = slash_command_body(text=text, user_id=USER, response_url=slack.response_url(name),
                              trigger_id=f"{RUN}.{next(_ids)}.bench")
    started = time.perf_counter()
    async with session.post(url, data=body, headers=sign(body, SECRET)) as response:
        await response.read()
        if response.status != 200:
            raise RuntimeError(f"{url} answered {response.status}")
    acked = time.perf_counter() - started
    if not wait_answer:
        return acked, None
    await slack.wait_for_response(name, timeout=30)
    return acked, time.perf_counter() - started


def percentiles(samples: list[float]) -> str:
    cuts = statistics.quantiles(samples, n=100, method="inclusive")
    return f"p50 {cuts[49] * 1000:7.2f} ms   p99 {cuts[98] * 1000:7.2f} ms"


async def run(url: str, orders: int, requests: int) -> None:
    started = time.perf_counter()
    added, skus = await build(url, orders)
    print(f"database: {url} ({orders:,} orders; {added:,} added in "
          f"{time.perf_counter() - started:.1f} s)")
    async with FakeSlackAPI() as slack:
        api = await slack.start()
        settings = load_settings(database_url=url, secret_key="bench", _env_file=None,
                                 slack_bot_token="xoxb-test", slack_signing_secret=SECRET,
                                 slack_api_url=api)
        core = build_core(settings)
        await core.bus.handle(SetStaffRole(USER, Role.VIEWER), SYSTEM)
        ours, ours_url = await serve(build_web_app(core))
        bare, bare_url = await serve(bare_app(api))
        rnd = random.Random(7)
        commands = {"order": lambda: f"order {rnd.randint(1, orders)}",
                    "stock": lambda: f"stock {rnd.choice(skus)}"}
        try:
            async with ClientSession() as session:
                for which, make in commands.items():
                    for _ in range(20):  # warm up: bolt's auth.test, connection pools, caches
                        await timed(session, ours_url, slack, make(), True)
                        await timed(session, bare_url, slack, make(), False)
                    freeze_as_omsbot_run()
                    ours_ack, ours_answer, bare_ack = [], [], []
                    for _ in range(requests):
                        acked, answered = await timed(session, ours_url, slack, make(), True)
                        ours_ack.append(acked)
                        ours_answer.append(answered or 0.0)
                        bare_ack.append((await timed(session, bare_url, slack, make(),
                                                     False))[0])
                    print(f"/oms {which:5} ours ack    {percentiles(ours_ack)}")
                    print(f"/oms {which:5} bare ack    {percentiles(bare_ack)}")
                    print(f"/oms {which:5} ours answer {percentiles(ours_answer)}   "
                          f"(ack p99 ratio {_p99(ours_ack) / _p99(bare_ack):.2f}×, goal "
                          f"<= 1.2×: {_verdict(_p99(ours_ack) / _p99(bare_ack) <= 1.2)})")
        finally:
            await ours.cleanup()
            await bare.cleanup()
            await core.close()


def _p99(samples: list[float]) -> float:
    return statistics.quantiles(samples, n=100, method="inclusive")[98]


def _verdict(met: bool) -> str:
    return "met" if met else "NOT met"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default="sqlite+aiosqlite:///var/bench-slack.db")
    parser.add_argument("--orders", type=int, default=1_000_000)
    parser.add_argument("--requests", type=int, default=2000)
    args = parser.parse_args()
    asyncio.run(run(args.database_url, args.orders, args.requests))


if __name__ == "__main__":
    main()
