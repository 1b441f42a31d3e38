"""/healthz latency on the SQLite server while another process imports orders.

An `omsbot run` serves a SQLite file and takes an order every 50 ms (so it needs the write
lock now and then); `omsbot import orders` writes to the same file from a second process.
One client asks /healthz back to back, first alone, then during the import. The goal: p99
under 100 ms during the import (the loop never waits for the other process's write lock).
Delivery is off in the server: composing mail is CPU on the loop, measured by bench/email.py,
and would blur what this measures.

    python bench/healthz_during_import.py [--orders 3000]
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path[0] = str(Path(__file__).resolve().parents[1])

import argparse
import asyncio
import json
import tempfile
import time

import aiohttp

from bench.common import Figures, fresh_database
from bot.bootstrap import build_core
from bot.settings import Settings
from tests.catalog import order_json, small_shop
from tests.e2e.processes import omsbot_env, omsbot_process

GOAL_P99_MS = 100.0


async def prepare(url: str, workdir: Path, orders: int) -> Path:
    core = build_core(Settings(database_url=url, secret_key="bench", _env_file=None))  # type: ignore[call-arg]
    try:
        await small_shop(core.bus, stock=10 * orders)
        token = await core.tokens.create("bench")
    finally:
        await core.close()
    (workdir / "token").write_text(token)
    rows = workdir / "orders.jsonl"
    rows.write_text("".join(json.dumps(order_json(f"IMP-{i}", lines=[
        {"sku": "MUG-01", "quantity": 1}])) + "\n" for i in range(orders)))
    return rows


async def probe(http: aiohttp.ClientSession, base: str, label: str,
                until: asyncio.Future[object] | float) -> Figures:
    """GET /healthz back to back until `until` (a future, or a number of seconds)."""
    latencies: list[float] = []
    started = time.perf_counter()

    def more() -> bool:
        if isinstance(until, float):
            return time.perf_counter() - started < until
        return not until.done()

    while more():
        t = time.perf_counter()
        async with http.get(base + "/healthz") as resp:
            await resp.read()
        latencies.append(time.perf_counter() - t)
        await asyncio.sleep(0.002)
    return Figures(label, len(latencies), time.perf_counter() - started, latencies)


async def run(orders: int) -> list[str]:
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        async with fresh_database("sqlite") as url:
            rows = await prepare(url, workdir, orders)
            async with omsbot_process(url, workdir, OMSBOT_DELIVERY_ENABLED="false",
                                      OMSBOT_JOBS_ENABLED="false") as base, \
                    aiohttp.ClientSession() as http:
                alone = await probe(http, base, "/healthz alone", 3.0)
                importer = await asyncio.create_subprocess_exec(
                    sys.executable, "-m", "bot", "import", "orders", str(rows), cwd=workdir,
                    env=omsbot_env(url), stdout=asyncio.subprocess.PIPE,
                    stderr=asyncio.subprocess.STDOUT)
                done = asyncio.ensure_future(importer.communicate())
                placing = asyncio.ensure_future(
                    take_orders(http, base, (workdir / "token").read_text(), done))
                during = await probe(http, base, "/healthz during `omsbot import orders`", done)
                output = (await done)[0].decode().strip().splitlines()
                orders_placed = await placing
    worst = max(during.latencies, default=0.0) * 1000
    verdict = "meets" if during.pct(0.99) < GOAL_P99_MS else "MISSES"
    return [f"--- healthz during an import (SQLite, {orders} orders) ---",
            _line(alone), _line(during), _line(orders_placed),
            f"{'  worst during the import':<56} {worst:8.1f} ms; p99 {verdict} the goal "
            f"({GOAL_P99_MS:.0f} ms); import: {output[-1] if output else 'no output'} "
            f"in {during.seconds:.1f} s"]


async def take_orders(http: aiohttp.ClientSession, base: str, token: str,
                      until: asyncio.Future[object]) -> Figures:
    """POST an order every 50 ms until `until` is done; each must be 201."""
    headers = {"Authorization": f"Bearer {token}"}
    latencies: list[float] = []
    started = time.perf_counter()
    while not until.done():
        body = order_json(f"LIVE-{len(latencies)}", lines=[{"sku": "MUG-01", "quantity": 1}])
        t = time.perf_counter()
        async with http.post(base + "/api/v1/orders", json=body, headers=headers) as resp:
            if resp.status != 201:
                raise RuntimeError(await resp.text())
        latencies.append(time.perf_counter() - t)
        await asyncio.sleep(0.05)
    return Figures("POST /api/v1/orders meanwhile (one every 50 ms)", len(latencies),
                   time.perf_counter() - started, latencies)


def _line(f: Figures) -> str:
    return (f"{f.label:<56} {f.count:8d} req  p50 {f.pct(0.5):6.2f} ms  "
            f"p99 {f.pct(0.99):6.2f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, default=3000)
    args = parser.parse_args()
    for line in asyncio.run(run(args.orders)):
        print(line, flush=True)


if __name__ == "__main__":
    main()
