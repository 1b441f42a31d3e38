"""Shared bits of the bench scripts: timing, percentiles, databases, omsbot processes."""

from __future__ import annotations

import asyncio
import gc
import os
import sys
import tempfile
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

import asyncpg
from sqlalchemy.engine import make_url

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from storage.migrate import upgrade

POSTGRES_URL = os.environ.get("OMSBOT_BENCH_POSTGRES_URL") or os.environ.get(
    "OMSBOT_TEST_POSTGRES_URL") or "postgresql+asyncpg://postgres@127.0.0.1:5432/test"


@dataclass
class Figures:
    label: str
    count: int
    seconds: float
    latencies: list[float]

    @property
    def rate(self) -> float:
        return self.count / self.seconds if self.seconds else 0.0

    def pct(self, q: float) -> float:
        if not self.latencies:
            return 0.0
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000

    def line(self, reference: Figures | None = None) -> str:
        ratio = f"  {100 * self.rate / reference.rate:5.1f}% of raw" if reference else ""
        return (f"{self.label:<56} {self.rate:8.0f}/s  p50 {self.pct(0.5):6.2f} ms  "
                f"p99 {self.pct(0.99):6.2f} ms{ratio}")


async def measure(label: str, clients: int, per_client: int,
                  one: Callable[[int, int], Awaitable[None]]) -> Figures:
    latencies: list[float] = []

    async def client(c: int) -> None:
        for i in range(per_client):
            started = time.perf_counter()
            await one(c, i)
            latencies.append(time.perf_counter() - started)

    started = time.perf_counter()
    await asyncio.gather(*(client(c) for c in range(clients)))
    return Figures(label, clients * per_client, time.perf_counter() - started, latencies)


def freeze_as_omsbot_run() -> None:
    """What `omsbot run` does once it is ready (bot.cli._freeze_start_up): what start-up
    built is moved out of the collector's sight. A bench serving in-process does it after
    building (and seeding) both the app measured and the bare one, so that each full
    collection walks what was made since, as in production, not ~300,000 start-up objects
    (150-250 ms a collection on this machine, landing in whichever request runs then)."""
    gc.collect()
    gc.freeze()


def pg_dsn(url: str) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


@asynccontextmanager
async def fresh_database(kind: str) -> AsyncIterator[str]:
    """A migrated, empty database: a temp SQLite file or a new PostgreSQL database."""
    if kind == "sqlite":
        with tempfile.TemporaryDirectory() as tmp:
            url = f"sqlite+aiosqlite:///{tmp}/bench.db"
            await upgrade(url)
            yield url
        return
    name = f"omsbot_bench_{uuid.uuid4().hex[:8]}"
    admin = await asyncpg.connect(pg_dsn(POSTGRES_URL))
    await admin.execute(f'CREATE DATABASE "{name}"')
    url = make_url(POSTGRES_URL).set(database=name).render_as_string(hide_password=False)
    try:
        await upgrade(url)
        yield url
    finally:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.close()

