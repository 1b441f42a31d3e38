"""Bench helper: a shop database with many orders, written with fast bulk inserts.

The demo catalogue goes in through the bus as usual; the orders (each with one line, one
pending shipment and its item) are generated rows written with the driver's own bulk path:
`executemany` in one transaction on SQLite, `COPY` on PostgreSQL.

    python bench/bulk.py --database-url sqlite+aiosqlite:///var/bench.db --orders 1000000
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
import random
import sqlite3
import sys
import time
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy.engine import make_url

from bot.bootstrap import build_core
from bot.demo import seed_demo
from bot.settings import load_settings
from storage.migrate import upgrade

SCALE = 10_000  # storage.types.Amount keeps money as scaled integers
CUSTOMERS = 20_000
BATCH = 50_000
START = datetime(2025, 1, 1, tzinfo=UTC)
STATUSES = ("confirmed", "shipped", "delivered", "completed", "cancelled")


async def prepare(url: str) -> list[tuple[str, str, int]]:
    """Schema and demo catalogue; returns (sku, name, price) of every stocked product."""
    await upgrade(url)
    core = build_core(load_settings(database_url=url, secret_key="bench", _env_file=None))
    try:
        if not (await core.views.orders(limit=1))[0]:
            await seed_demo(core.bus)
        async with core.db.read_sessions() as s:
            from sqlalchemy import select

            from storage import orm

            rows = await s.execute(select(orm.products.c.sku, orm.products.c.name,
                                          orm.products.c.price))
            return [(r.sku, r.name, int(r.price * SCALE)) for r in rows]
    finally:
        await core.close()


Rows = tuple[tuple[Any, ...], tuple[Any, ...], tuple[Any, ...], tuple[Any, ...]]


def generate(first_id: int, count: int, first_customer: int,
             products: list[tuple[str, str, int]], offsets: tuple[int, int, int]
             ) -> Iterator[Rows]:
    """(order, line, shipment, shipment item) rows; a line, shipment or item id is the
    order id plus its `offsets` entry."""
    line_base, ship_base, item_base = offsets
    rnd = random.Random(first_id)
    address = json.dumps({"name": "Bench Customer", "line1": "Via Roma 1", "city": "Milano",
                          "postal_code": "20121", "country": "IT"})
    for oid in range(first_id, first_id + count):
        sku, name, price = rnd.choice(products)
        quantity = rnd.randint(1, 3)
        placed = START + timedelta(minutes=oid % 500_000)
        status = rnd.choice(STATUSES)
        subtotal = price * quantity
        shipment_status = {"confirmed": "pending", "cancelled": "cancelled"}.get(status,
                                                                                  "delivered")
        yield (
            (oid, f"BENCH-{oid}", "web", status, "paid", "EUR",
             first_customer + oid % CUSTOMERS, address, "standard", "[]", subtotal, 0,
             subtotal, placed, placed + timedelta(hours=48), (placed + timedelta(days=5)).date()),
            (line_base + oid, oid, sku, name, quantity, price, None),
            (ship_base + oid, oid, "MIL", shipment_status),
            (item_base + oid, ship_base + oid, sku, quantity),
        )


ORDER_COLUMNS = ("id", "external_id", "channel", "status", "payment_status", "currency",
                 "customer_id", "shipping_address", "shipping_method", "flags", "subtotal",
                 "shipping_total", "total", "placed_at", "promised_ship_by", "promised_delivery")
LINE_COLUMNS = ("id", "order_id", "sku", "name", "quantity", "unit_price", "unit_cost")
SHIPMENT_COLUMNS = ("id", "order_id", "warehouse", "status")
ITEM_COLUMNS = ("id", "shipment_id", "sku", "quantity")
TABLES = (("orders", ORDER_COLUMNS), ("order_lines", LINE_COLUMNS),
          ("shipments", SHIPMENT_COLUMNS), ("shipment_items", ITEM_COLUMNS))


def _sqlite_value(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.astimezone(UTC).replace(tzinfo=None).isoformat(" ", "microseconds")
    if isinstance(value, date):
        return value.isoformat()
    return value


def fill_sqlite(path: str, total: int, products: list[tuple[str, str, int]]) -> int:
    con = sqlite3.connect(path, isolation_level=None)
    con.execute("PRAGMA journal_mode=WAL")
    con.execute("PRAGMA synchronous=OFF")
    first = (con.execute("SELECT coalesce(max(id), 0) FROM orders").fetchone()[0]) + 1
    missing = total - first + 1
    if missing <= 0:
        return 0
    first_customer = _sqlite_customers(con)
    offsets = tuple(con.execute(f"SELECT coalesce(max(id), 0) FROM {table}").fetchone()[0]
                    - first + 1 for table in ("order_lines", "shipments", "shipment_items"))
    con.execute("BEGIN")
    for start in range(first, first + missing, BATCH):
        rows = list(generate(start, min(BATCH, first + missing - start), first_customer,
                             products, (offsets[0], offsets[1], offsets[2])))
        for index, (table, columns) in enumerate(TABLES):
            marks = ", ".join("?" * len(columns))
            con.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})",
                            [tuple(_sqlite_value(v) for v in row[index]) for row in rows])
    con.execute("COMMIT")
    con.close()
    return missing


def _sqlite_customers(con: sqlite3.Connection) -> int:
    first = con.execute("SELECT coalesce(max(id), 0) FROM customers").fetchone()[0] + 1
    now = datetime.now(UTC).replace(tzinfo=None).isoformat(" ", "microseconds")
    con.execute("BEGIN")
    con.executemany("INSERT INTO customers (id, email, name, flags, created_at) "
                    "VALUES (?, ?, ?, '[]', ?)",
                    [(first + i, f"bench{first + i}@example.com", f"Bench {i}", now)
                     for i in range(CUSTOMERS)])
    con.execute("COMMIT")
    return first


async def fill_postgres(url: str, total: int, products: list[tuple[str, str, int]]) -> int:
    import asyncpg

    dsn = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
    con = await asyncpg.connect(dsn)
    try:
        first = int(await con.fetchval("SELECT coalesce(max(id), 0) FROM orders")) + 1
        missing = total - first + 1
        if missing <= 0:
            return 0
        first_customer = int(await con.fetchval("SELECT coalesce(max(id), 0) FROM customers")) + 1
        now = datetime.now(UTC)
        await con.copy_records_to_table("customers", columns=(
            "id", "email", "name", "flags", "created_at"), records=[
            (first_customer + i, f"bench{first_customer + i}@example.com", f"Bench {i}", "[]",
             now) for i in range(CUSTOMERS)])
        line, ship, item = [
            int(await con.fetchval(f"SELECT coalesce(max(id), 0) FROM {t}")) - first + 1
            for t in ("order_lines", "shipments", "shipment_items")]
        async with con.transaction():
            for start in range(first, first + missing, BATCH):
                rows = list(generate(start, min(BATCH, first + missing - start),
                                     first_customer, products, (line, ship, item)))
                for index, (table, columns) in enumerate(TABLES):
                    await con.copy_records_to_table(table, columns=columns,
                                                    records=[row[index] for row in rows])
        for table in ("orders", "order_lines", "shipments", "shipment_items", "customers"):
            await con.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                              f"(SELECT max(id) FROM {table}))")
            await con.execute(f"ANALYZE {table}")
        return missing
    finally:
        await con.close()


async def build(url: str, orders: int) -> tuple[int, list[str]]:
    """Make sure `url` holds at least `orders` orders; returns how many were added, and
    the SKUs of the catalogue."""
    products = await prepare(url)
    skus = [sku for sku, _, _ in products]
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        added = await asyncio.to_thread(fill_sqlite, str(parsed.database), orders, products)
    else:
        added = await fill_postgres(url, orders, products)
    return added, skus


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default="sqlite+aiosqlite:///var/bench-slack.db")
    parser.add_argument("--orders", type=int, default=1_000_000)
    args = parser.parse_args()
    started = time.perf_counter()
    added, _ = asyncio.run(build(args.database_url, args.orders))
    print(f"{added:,} orders added in {time.perf_counter() - started:.1f} s")


if __name__ == "__main__":
    main()
