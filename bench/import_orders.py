"""`omsbot import orders` of a migrating shop's history: time and peak memory.

Writes a CSV of N orders (one to three lines each; most delivered history with their
shipped_at and delivered_at, some open orders that reserve stock), a fresh SQLite database
with the small test catalogue, then runs `omsbot import orders FILE` under `/usr/bin/time
-v` and prints the wall time, orders per second and the peak resident memory.

    python -m bench.import_orders [--orders 100000] [--workdir var/bench-import]
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import os
import random
import re
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.bootstrap import build_core
from bot.settings import Settings
from channels.importing.columns import COLUMNS
from domain.inventory.commands import ReceiveStock
from storage.migrate import upgrade
from tests.catalog import small_shop

START = datetime(2025, 1, 1, 8, 0, tzinfo=UTC)


def write_csv(path: Path, orders: int, seed: int = 7) -> int:
    """The file; returns its number of rows (order lines)."""
    rng = random.Random(seed)
    rows = 0
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow([c for c, _, _ in COLUMNS])
        for i in range(orders):
            placed = START + timedelta(minutes=5 * i)
            open_order = rng.random() < 0.02
            status = "confirmed" if open_order else rng.choice(("delivered", "completed",
                                                                 "shipped"))
            shipped = placed + timedelta(hours=rng.randint(4, 60))
            delivered = shipped + timedelta(days=rng.randint(1, 6))
            for sku in rng.sample(("MUG-01", "TEA-01"), rng.randint(1, 2)):
                writer.writerow([
                    f"OLD-{i}", "web", "EUR", f"c{i % 20000}@example.com", "Ada Lovelace", "",
                    "it", "Ada Lovelace", "Via Roma 1", "", "Milano", "20121", "IT", sku,
                    rng.randint(1, 3), "12.50" if sku == "MUG-01" else "8.00", "", "", "paid",
                    "", placed.isoformat(),
                    status, "" if open_order else shipped.isoformat(),
                    delivered.isoformat() if status in ("delivered", "completed") else ""])
                rows += 1
    return rows


async def prepare(url: str) -> None:
    """The schema and the catalogue, with stock for every open order (a receipt is capped
    at 1,000,000 units by the input policy; open orders need far fewer)."""
    await upgrade(url)
    core = build_core(Settings(database_url=url, secret_key="bench", _env_file=None))  # type: ignore[call-arg]
    try:
        await small_shop(core.bus, stock=1_000_000)
        await core.bus.handle(ReceiveStock("TEA-01", "MIL", 1_000_000))
    finally:
        await core.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, default=100_000)
    parser.add_argument("--workdir", type=Path, default=Path("var/bench-import"))
    args = parser.parse_args()
    work: Path = args.workdir
    work.mkdir(parents=True, exist_ok=True)
    db, data = work / "import.db", work / "orders.csv"
    for stale in (db, Path(f"{db}-wal"), Path(f"{db}-shm")):
        stale.unlink(missing_ok=True)
    rows = write_csv(data, args.orders)
    url = f"sqlite+aiosqlite:///{db.resolve()}"
    asyncio.run(prepare(url))
    env = {**os.environ, "OMSBOT_DATABASE_URL": url, "OMSBOT_SECRET_KEY": "bench"}
    omsbot = Path(sys.executable).with_name("omsbot")
    started = time.perf_counter()
    done = subprocess.run(["/usr/bin/time", "-v", str(omsbot), "import", "orders", str(data)],
                          env=env, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - started
    peak = re.search(r"Maximum resident set size \(kbytes\): (\d+)", done.stderr)
    print(f"file: {data} ({data.stat().st_size / 1e6:.1f} MB, {rows} rows, "
          f"{args.orders} orders)")
    print(f"exit {done.returncode}; {done.stdout.strip().splitlines()[-1:]}")
    print(f"time: {seconds:.1f} s ({args.orders / seconds:.0f} orders/s)")
    print(f"peak memory: {int(peak.group(1)) / 1024:.0f} MiB" if peak else done.stderr[-2000:])


if __name__ == "__main__":
    main()
