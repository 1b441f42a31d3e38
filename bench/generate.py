"""A bench shop: N orders over two years, S SKUs in two warehouses, inserted in bulk.

SQLite through the standard library's executemany in one transaction, PostgreSQL through
asyncpg's COPY; both after `upgrade head`, in exactly the formats the ORM writes.
Open orders are the last few days' worth, as in a real shop, so the late ones grow with
the daily volume while history grows with N.
"""

from __future__ import annotations

import json
import random
import sqlite3
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from typing import Any

import asyncpg
from sqlalchemy.engine import make_url

from storage.migrate import upgrade
from storage.types import SCALE

NOW = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)
DAYS = 730
WAREHOUSES = ("MIL", "ROM")
REORDER_POINT = 10
LOW_SHARE = 0.001  # stock levels sitting at or below their reorder point
CUSTOMERS = 10_000
ADDRESS = json.dumps({"name": "Bench", "line1": "Via Roma 1", "city": "Milano",
                      "postal_code": "20121", "country": "IT"})

COLUMNS = {
    "warehouses": ("code", "name", "country", "postal_code", "city", "line1", "priority"),
    "products": ("sku", "name", "price", "currency", "cost", "reorder_point",
                 "reorder_quantity", "supplier_email", "allow_backorder"),
    "stock_levels": ("sku", "warehouse", "on_hand", "reserved"),
    "customers": ("id", "email", "name", "locale", "flags", "created_at"),
    "orders": ("id", "external_id", "channel", "status", "payment_status", "currency",
               "customer_id", "shipping_address", "shipping_method", "flags", "subtotal",
               "shipping_total", "total", "placed_at", "promised_ship_by",
               "promised_delivery", "cancel_reason", "shipped_at", "delivered_at"),
    "order_lines": ("id", "order_id", "sku", "name", "quantity", "unit_price", "unit_cost"),
    "shipments": ("id", "order_id", "warehouse", "status", "carrier", "tracking_number",
                  "eta", "shipped_at", "delivered_at"),
    "shipment_items": ("id", "shipment_id", "sku", "quantity"),
}


def sku(i: int) -> str:
    return f"SKU-{i:06d}"


def catalogue(skus: int, rng: random.Random) -> dict[str, Iterator[tuple[Any, ...]]]:
    price = 1250 * SCALE // 100
    return {
        "warehouses": iter([("MIL", "Milano", "IT", "20100", "Milano", "Via Dante 1", 10),
                            ("ROM", "Roma", "IT", "00100", "Roma", "Via Appia 1", 20)]),
        "products": ((sku(i), f"Product {i}", price, "EUR", price // 3, REORDER_POINT, 100,
                      "supplier@example.com", False) for i in range(skus)),
        "stock_levels": ((sku(i), w, rng.randint(0, REORDER_POINT)
                          if rng.random() < LOW_SHARE else rng.randint(50, 500), 0)
                         for i in range(skus) for w in WAREHOUSES),
        "customers": ((i, f"c{i}@example.com", f"Customer {i}", "en", "[]", NOW)
                      for i in range(1, CUSTOMERS + 1)),
    }


def history(orders: int, skus: int, rng: random.Random
            ) -> Iterator[tuple[tuple[Any, ...], tuple[Any, ...], tuple[Any, ...] | None,
                                tuple[Any, ...] | None]]:
    """(order, line, shipment, item) per order, oldest first."""
    ages = sorted((rng.random() * DAYS for _ in range(orders)), reverse=True)
    for oid, age in enumerate(ages, start=1):
        placed = NOW - timedelta(days=age)
        ship_by = placed + timedelta(hours=48)
        promised = (ship_by + timedelta(days=5)).date()
        item_sku = sku(rng.randrange(skus))
        quantity = rng.randint(1, 3)
        total = quantity * 1250 * SCALE // 100
        roll = rng.random()
        status, shipment, eta, shipped, delivered = _fate(age, roll, placed, promised)
        order = (oid, f"B-{oid}", "web", status, "paid", "EUR", 1 + oid % CUSTOMERS, ADDRESS,
                 "standard", "[]", total, 0, total, placed, ship_by, promised,
                 "changed mind" if status == "cancelled" else None,
                 shipped, delivered)
        line = (oid, oid, item_sku, "Product", quantity, 1250 * SCALE // 100, None)
        ship = (oid, oid, WAREHOUSES[oid % 2], shipment, "BRT" if shipped else None,
                f"T{oid}" if shipped else None, eta, shipped, delivered)
        yield order, line, ship, (oid, oid, item_sku, quantity)


def _fate(age: float, roll: float, placed: datetime, promised: date
          ) -> tuple[str, str, date | None, datetime | None, datetime | None]:
    """status, shipment status, eta, shipped_at, delivered_at"""
    shipped = placed + timedelta(days=1)
    if age < 2 or (age < 4 and roll < 0.05):
        return "confirmed", "pending", None, None, None  # the late ones: not shipped in 48 h
    if age < 4 or (age < 10 and roll < 0.03):
        return "shipped", "in_transit", promised, shipped, None  # some past their ETA
    if roll < 0.03:
        return "cancelled", "cancelled", None, None, None
    delivered = placed + timedelta(days=min(6.0, age - 0.5))
    return "delivered", "delivered", promised, shipped, delivered


def _sqlite_value(value: Any) -> Any:
    if isinstance(value, datetime):
        return f"{value.astimezone(UTC):%Y-%m-%d %H:%M:%S.%f}"
    if isinstance(value, date):
        return value.isoformat()
    return value


async def build(url: str, orders: int, skus: int, seed: int = 42) -> None:
    await upgrade(url)
    rng = random.Random(seed)
    tables = catalogue(skus, rng)
    if url.startswith("sqlite"):
        _build_sqlite(make_url(url).database or "", tables, history(orders, skus, rng))
    else:
        await _build_postgres(url, tables, history(orders, skus, rng))


def _split(rows: Iterator[tuple[Any, ...]], chunk: int = 50_000
           ) -> Iterator[list[tuple[Any, ...]]]:
    batch: list[tuple[Any, ...]] = []
    for row in rows:
        batch.append(row)
        if len(batch) >= chunk:
            yield batch
            batch = []
    if batch:
        yield batch


def _history_tables(rows: Iterator[tuple[Any, ...]]) -> Iterator[dict[str, list[Any]]]:
    for batch in _split(rows):
        yield {"orders": [r[0] for r in batch], "order_lines": [r[1] for r in batch],
               "shipments": [r[2] for r in batch], "shipment_items": [r[3] for r in batch]}


def _build_sqlite(path: str, tables: dict[str, Iterator[tuple[Any, ...]]],
                  rows: Iterator[Any]) -> None:
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA synchronous=OFF")
    conn.execute("PRAGMA foreign_keys=OFF")

    def put(table: str, batch: list[tuple[Any, ...]]) -> None:
        cols = COLUMNS[table]
        conn.executemany(
            f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})",
            [tuple(_sqlite_value(v) for v in row) for row in batch])

    with conn:
        for table, source in tables.items():
            for batch in _split(source):
                put(table, batch)
        for chunk in _history_tables(rows):
            for table, batch in chunk.items():
                put(table, batch)
    conn.execute("ANALYZE")
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()


async def _build_postgres(url: str, tables: dict[str, Iterator[tuple[Any, ...]]],
                          rows: Iterator[Any]) -> None:
    dsn = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
    conn = await asyncpg.connect(dsn)
    try:
        async def put(table: str, batch: list[tuple[Any, ...]]) -> None:
            await conn.copy_records_to_table(table, records=batch,
                                             columns=list(COLUMNS[table]))

        async with conn.transaction():
            for table, source in tables.items():
                for batch in _split(source):
                    await put(table, batch)
            for chunk in _history_tables(rows):
                for table, batch in chunk.items():
                    await put(table, batch)
            for table in ("customers", "orders", "order_lines", "shipments",
                          "shipment_items"):
                await conn.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                                   f"(SELECT max(id) FROM {table}))")
        await conn.execute("ANALYZE")
    finally:
        await conn.close()
