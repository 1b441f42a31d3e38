"""Order intake: a raw driver loop doing the same transaction vs POST /api/v1/orders.

Prints orders/s and p50/p99 latency for (a) the raw loop (conditional stock update, order,
line and outbox row in one transaction, straight through aiosqlite / asyncpg) and (b) the
HTTP API end to end at 1 and 8 clients against a real `omsbot run` process, on SQLite and
PostgreSQL, with (b) as a percentage of (a).

    python bench/intake.py [--orders 2000] [--only sqlite|postgres]
"""

from __future__ import annotations

import sys
from pathlib import Path

# Run as `python bench/NAME.py`, this folder comes first on the path, and bench/email.py
# would hide the standard library's `email`: put the project root there instead.
sys.path[0] = str(Path(__file__).resolve().parents[1])

import argparse
import asyncio
import json
import sys
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import aiohttp
import aiosqlite
import asyncpg
from sqlalchemy.engine import make_url

from bench.common import Figures, fresh_database, measure, pg_dsn
from bot.bootstrap import build_core
from bot.settings import Settings
from tests.catalog import order_command, order_json, small_shop
from tests.e2e.processes import omsbot_process

STOCK = 1_000_000  # the input policy caps one receipt at 1,000,000 units
NOW = datetime(2026, 11, 24, 10, 0, tzinfo=UTC)
ADDRESS = json.dumps({"name": "Ada", "line1": "Via Roma 1", "city": "Milano",
                      "postal_code": "20121", "country": "IT"})


def _order_values(i: int) -> tuple[Any, ...]:
    placed = NOW.replace(tzinfo=None)
    return (f"RAW-{i}", "web", "confirmed", "paid", "EUR", 1, ADDRESS, "standard", "[]",
            250000, 0, 250000, placed, placed + timedelta(hours=48),
            (placed + timedelta(days=7)).date())


ORDER_SQL = ("INSERT INTO orders (external_id, channel, status, payment_status, currency, "
             "customer_id, shipping_address, shipping_method, flags, subtotal, shipping_total, "
             "total, placed_at, promised_ship_by, promised_delivery) VALUES ({}) RETURNING id")
LINE_SQL = ("INSERT INTO order_lines (order_id, sku, name, quantity, unit_price) "
            "VALUES ({})")
OUTBOX_SQL = ("INSERT INTO notifications (channel, kind, recipient, payload, status, attempts, "
              "created_at, next_attempt_at, dedupe_key) VALUES ({})")
STOCK_SQL = ("UPDATE stock_levels SET reserved = reserved + {0} WHERE sku = {1} AND "
             "warehouse = {2} AND on_hand - reserved >= {0}")


async def raw_sqlite(url: str, orders: int) -> Figures:
    path = make_url(url).database
    assert path
    db = await aiosqlite.connect(path, isolation_level=None)
    await db.execute("PRAGMA journal_mode=WAL")
    await db.execute("PRAGMA synchronous=NORMAL")
    q = ",".join("?" * 15)

    async def one(_c: int, i: int) -> None:
        await db.execute("BEGIN IMMEDIATE")
        cur = await db.execute(STOCK_SQL.format("?", "?", "?"), (2, "MUG-01", "MIL", 2))
        assert cur.rowcount == 1
        cur = await db.execute(ORDER_SQL.format(q), _order_values(i))
        (order_id,) = await cur.fetchone()  # type: ignore[misc]
        await db.execute(LINE_SQL.format("?,?,?,?,?"), (order_id, "MUG-01", "Mug", 2, 125000))
        await db.execute(OUTBOX_SQL.format("?,?,?,?,?,?,?,?,?"), (
            "email", "order_confirmation", "ada@example.com", json.dumps({"order_id": order_id}),
            "pending", 0, NOW.replace(tzinfo=None), NOW.replace(tzinfo=None), f"raw:{i}"))
        await db.execute("COMMIT")

    try:
        return await measure("(a) raw aiosqlite loop", 1, orders, one)
    finally:
        await db.close()


async def raw_postgres(url: str, orders: int) -> Figures:
    conn = await asyncpg.connect(pg_dsn(url))
    q = ",".join(f"${n}" for n in range(1, 16))

    async def one(_c: int, i: int) -> None:
        async with conn.transaction():
            status = await conn.execute(STOCK_SQL.format("$1", "$2", "$3"), 2, "MUG-01", "MIL")
            assert status == "UPDATE 1"
            values = list(_order_values(i))
            values[12] = NOW
            values[13] = NOW + timedelta(hours=48)
            order_id = await conn.fetchval(ORDER_SQL.format(q), *values)
            await conn.execute(LINE_SQL.format("$1,$2,$3,$4,$5"), order_id, "MUG-01", "Mug", 2,
                               125000)
            await conn.execute(OUTBOX_SQL.format("$1,$2,$3,$4,$5,$6,$7,$8,$9"), "email",
                               "order_confirmation", "ada@example.com",
                               json.dumps({"order_id": order_id}), "pending", 0, NOW, NOW,
                               f"raw:{i}")

    try:
        return await measure("(a) raw asyncpg loop", 1, orders, one)
    finally:
        await conn.close()


async def prepare(url: str) -> str:
    """Catalogue, a customer row for the raw loop, and an API token."""
    settings = Settings(database_url=url, secret_key="bench", _env_file=None)  # type: ignore[call-arg]
    core = build_core(settings)
    try:
        await small_shop(core.bus, stock=STOCK)
        await core.bus.handle(order_command("SEED"))
        return await core.tokens.create("bench")
    finally:
        await core.close()


async def api(url: str, token: str, clients: int, orders: int, workdir: Path,
              label: str, *, background: bool) -> Figures:
    """`background`: the process also delivers the confirmations and runs the jobs, as a
    lone `omsbot run` does; without it, it only takes orders (a scale-out intake node)."""
    headers = {"Authorization": f"Bearer {token}"}
    flags = {} if background else {"OMSBOT_DELIVERY_ENABLED": "false",
                                   "OMSBOT_JOBS_ENABLED": "false"}
    async with omsbot_process(url, workdir, **flags) as base, aiohttp.ClientSession(
            connector=aiohttp.TCPConnector(limit=0)) as http:
        # Placed now, as a shop's orders are: orders dated days ago would all be late, and
        # the delays job (first run a minute after start) would spend the measurement
        # writing hundreds of apologies.
        placed_at = datetime.now(UTC).isoformat()
        # warm up connections and caches
        for w in range(20):
            async with http.post(f"{base}/api/v1/orders", headers=headers,
                                 json=order_json(f"WARM-{label}-{w}", placed_at=placed_at)
                                 ) as resp:
                assert resp.status == 201, await resp.text()

        async def one(c: int, i: int) -> None:
            body = order_json(f"{label}-{c}-{i}", placed_at=placed_at)
            async with http.post(f"{base}/api/v1/orders", json=body, headers=headers) as resp:
                if resp.status != 201:
                    raise RuntimeError(await resp.text())
                await resp.read()

        per_client = max(1, orders // clients)
        extra = ", delivering too" if background else ""
        return await measure(f"(b) POST /api/v1/orders, {clients} client(s){extra}", clients,
                             per_client, one)


async def run(kind: str, orders: int) -> list[str]:
    lines = [f"--- {kind} ---"]
    with tempfile.TemporaryDirectory() as tmp:
        async with fresh_database(kind) as url:
            token = await prepare(url)
            raw = await (raw_sqlite(url, orders) if kind == "sqlite" else
                         raw_postgres(url, orders))
            lines.append(raw.line())
            for clients, background in ((1, False), (8, False), (8, True)):
                figures = await api(url, token, clients, orders, Path(tmp),
                                    f"C{clients}{background}", background=background)
                lines.append(figures.line(raw))
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, default=2000)
    parser.add_argument("--only", choices=("sqlite", "postgres"))
    args = parser.parse_args()
    kinds = [args.only] if args.only else ["sqlite", "postgres"]
    for kind in kinds:
        for line in asyncio.run(run(kind, args.orders)):
            print(line, flush=True)


if __name__ == "__main__":
    main()
