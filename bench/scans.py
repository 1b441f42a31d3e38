"""Time and peak memory of the `low-stock` and `delays` jobs over 10,000 and 1,000,000
orders and 100,000 SKUs, in one run:

    python bench/scans.py                       # SQLite in a temporary directory
    python bench/scans.py --postgres postgresql+asyncpg://postgres@127.0.0.1:5432/postgres
    python bench/scans.py --orders 10000,100000 --skus 20000   # smaller, quicker

Each job runs twice on a fresh copy of the generated shop: the first run does the work
(alerts, draft purchase orders, apologies, all stored in the outbox), the second finds
nothing new, which is the cost of every later scheduled run. Memory is the peak of
Python allocations (tracemalloc) during the run, measured on another fresh copy so that
tracing does not slow the timed runs.
"""

from __future__ import annotations

import sys
from pathlib import Path

# Run as `python bench/NAME.py`, this folder comes first on the path, and bench/email.py
# would hide the standard library's `email`: put the project root there instead.
sys.path[0] = str(Path(__file__).resolve().parents[1])

import argparse
import asyncio
import shutil
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

import asyncpg
from sqlalchemy.engine import make_url

from bench.generate import NOW, build
from bot.bootstrap import build_core
from bot.settings import Settings
from domain.automation.runner import run_job
from domain.clock import FixedClock

JOBS = ("low-stock", "delays")


async def measure(url: str, job: str, *, traced: bool) -> list[tuple[int, float, int]]:
    """(effects, seconds, peak bytes) of two runs of `job` in a row."""
    settings = Settings(database_url=url, secret_key="bench", _env_file=None)  # type: ignore[call-arg]
    core = build_core(settings, clock=FixedClock(NOW))
    results = []
    try:
        await core.views.healthy()  # connect before timing
        for _ in range(2):
            if traced:
                tracemalloc.start()
            started = time.perf_counter()
            outcome = await run_job(core.bus, job)
            seconds = time.perf_counter() - started
            peak = tracemalloc.get_traced_memory()[1] if traced else 0
            if traced:
                tracemalloc.stop()
            results.append((len(outcome.lines), seconds, peak))
    finally:
        await core.close()
    return results


class SqliteCopies:
    def __init__(self, root: Path, orders: int) -> None:
        self.base = root / f"shop-{orders}.db"
        self.root = root

    @property
    def url(self) -> str:
        return f"sqlite+aiosqlite:///{self.base}"

    def copy(self, name: str) -> str:
        target = self.root / f"{name}.db"
        for suffix in ("-wal", "-shm"):
            Path(f"{target}{suffix}").unlink(missing_ok=True)
        shutil.copyfile(self.base, target)
        return f"sqlite+aiosqlite:///{target}"

    async def drop(self) -> None:
        for path in self.root.glob("*.db*"):
            path.unlink()


class PostgresCopies:
    def __init__(self, admin_url: str, orders: int) -> None:
        self.admin_url = admin_url
        self.base_name = f"omsbot_bench_{orders}"
        self.names = [self.base_name]

    def _url(self, name: str) -> str:
        return make_url(self.admin_url).set(database=name).render_as_string(
            hide_password=False)

    async def _admin(self, sql: str) -> None:
        dsn = make_url(self.admin_url).set(drivername="postgresql").render_as_string(
            hide_password=False)
        conn = await asyncpg.connect(dsn)
        try:
            await conn.execute(sql)
        finally:
            await conn.close()

    @property
    def url(self) -> str:
        return self._url(self.base_name)

    async def create(self) -> None:
        await self._admin(f'DROP DATABASE IF EXISTS "{self.base_name}" WITH (FORCE)')
        await self._admin(f'CREATE DATABASE "{self.base_name}"')

    async def copy_async(self, name: str) -> str:
        full = f"{self.base_name}_{name.replace('-', '_')}"
        await self._admin(f'DROP DATABASE IF EXISTS "{full}" WITH (FORCE)')
        await self._admin(f'CREATE DATABASE "{full}" TEMPLATE "{self.base_name}"')
        self.names.append(full)
        return self._url(full)

    async def drop(self) -> None:
        for name in self.names:
            await self._admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


async def bench_one(kind: str, orders: int, skus: int, root: Path,
                    postgres: str | None, jobs: tuple[str, ...] = JOBS) -> list[str]:
    store: SqliteCopies | PostgresCopies
    if kind == "sqlite":
        store = SqliteCopies(root, orders)
    else:
        assert postgres is not None
        store = PostgresCopies(postgres, orders)
        await store.create()
    started = time.perf_counter()
    await build(store.url, orders, skus)
    built = time.perf_counter() - started
    rows = [f"{kind:8} {orders:>9,} orders {skus:>7,} SKUs: generated in {built:.1f} s"]
    try:
        for job in jobs:
            timed = await measure(await _copy(store, f"t-{job}"), job, traced=False)
            traced = await measure(await _copy(store, f"m-{job}"), job, traced=True)
            for label, (effects, seconds, _), (_, _, peak) in zip(
                    ("first ", "steady"), timed, traced, strict=True):
                rows.append(f"{kind:8} {orders:>9,} orders {job:10} {label} run: "
                            f"{seconds * 1000:8.1f} ms  peak {peak / 2**20:6.2f} MiB  "
                            f"({effects} effects)")
    finally:
        await store.drop()
    return rows


async def _copy(store: SqliteCopies | PostgresCopies, name: str) -> str:
    if isinstance(store, SqliteCopies):
        return store.copy(name)
    return await store.copy_async(name)


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", default="10000,1000000")
    parser.add_argument("--skus", type=int, default=100_000)
    parser.add_argument("--postgres", help="an admin URL: postgresql+asyncpg://…/postgres")
    parser.add_argument("--only-postgres", action="store_true")
    parser.add_argument("--jobs", default=",".join(JOBS), help="low-stock,delays")
    args = parser.parse_args()
    kinds = ([] if args.only_postgres else ["sqlite"]) + (["postgres"] if args.postgres else [])
    with tempfile.TemporaryDirectory(prefix="omsbot-bench-") as tmp:
        for kind in kinds:
            for orders in (int(n) for n in args.orders.split(",")):
                rows = await bench_one(kind, orders, args.skus, Path(tmp), args.postgres,
                                       tuple(args.jobs.split(",")))
                for row in rows:
                    print(row, flush=True)


if __name__ == "__main__":
    asyncio.run(main())
