"""The raw-driver baseline of bench/intake.py: the rows our intake writes for the bench's
order, straight through aiosqlite / asyncpg, one transaction per order, one connection.

Each transaction (the bench's order: 2 × MUG-01 at 12.50 EUR, paid, standard shipping,
an existing customer) does, in this order:
  reads (`reads=True` only; what our intake reads to decide):
    1. SELECT the order id by channel + external_id (idempotency: is it a retry?)
    2. SELECT the customer by e-mail
    3. SELECT the SKU's stock levels (routing picks a warehouse)
  writes (always):
    4. UPDATE stock_levels: reserve 2, only if available (the oversell guard)
    5. INSERT orders … RETURNING id (confirmed, paid 25.00)
    6. INSERT order_lines
    7. INSERT shipments … RETURNING id (the parcel)
    8. INSERT shipment_items
    9. INSERT payments … RETURNING id (the payment of the total)
   10. INSERT journal_lines × 2 (cash debit, receivables credit) as ONE executemany
   11. INSERT notifications (the confirmation mail, with its dedupe key)
   12. INSERT audit_log (order.place)
That is every row `POST /api/v1/orders` writes for this order, and the reads it needs.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta
from typing import Any

import aiosqlite
import asyncpg
from sqlalchemy.engine import make_url

from bench.common import Figures, measure, pg_dsn

NOW = datetime(2026, 11, 24, 10, 0, tzinfo=UTC)
ADDRESS = json.dumps({"name": "Ada", "line1": "Via Roma 1", "city": "Milano",
                      "postal_code": "20121", "country": "IT"})
CENTS_25 = 250000  # 25.00 as the Amount column stores it (scaled by 10^4)

READS = (
    "SELECT id FROM orders WHERE channel = ? AND external_id = ?",
    "SELECT id, name, locale FROM customers WHERE email = ?",
    "SELECT warehouse, on_hand, reserved FROM stock_levels WHERE sku = ?",
)
STOCK = ("UPDATE stock_levels SET reserved = reserved + ? WHERE sku = ? AND warehouse = ? "
         "AND on_hand - reserved >= ?")
ORDER = ("INSERT INTO orders (external_id, channel, status, payment_status, currency, "
         "customer_id, shipping_address, shipping_method, flags, subtotal, shipping_total, "
         "total, paid, placed_at, promised_ship_by, promised_delivery) "
         "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?) RETURNING id")
LINE = ("INSERT INTO order_lines (order_id, sku, name, quantity, unit_price, unit_cost) "
        "VALUES (?,?,?,?,?,?)")
SHIPMENT = "INSERT INTO shipments (order_id, warehouse, status) VALUES (?,?,?) RETURNING id"
ITEM = "INSERT INTO shipment_items (shipment_id, sku, quantity) VALUES (?,?,?)"
PAYMENT = ("INSERT INTO payments (order_id, kind, amount, currency, method, reference, at) "
           "VALUES (?,?,?,?,?,?,?) RETURNING id")
JOURNAL = ("INSERT INTO journal_lines (day, at, entry, account, debit, credit, currency, "
           "debit_base, credit_base, order_id, memo) VALUES (?,?,?,?,?,?,?,?,?,?,?)")
OUTBOX = ("INSERT INTO notifications (channel, kind, recipient, payload, locale, order_id, "
          "status, attempts, created_at, next_attempt_at, dedupe_key) "
          "VALUES (?,?,?,?,?,?,?,?,?,?,?) ON CONFLICT (dedupe_key) DO NOTHING RETURNING id")
AUDIT = ("INSERT INTO audit_log (at, actor, channel, action, subject, details) "
         "VALUES (?,?,?,?,?,?)")


class _Sqlite:
    def __init__(self, db: aiosqlite.Connection) -> None:
        self.db = db

    def ts(self, at: datetime) -> Any:
        return at.replace(tzinfo=None)  # naive UTC, as our UTCDateTime stores it

    async def value(self, sql: str, *args: Any) -> Any:
        async with self.db.execute(sql, args) as cur:
            row = await cur.fetchone()
        return None if row is None else row[0]

    async def run(self, sql: str, *args: Any) -> int:
        cur = await self.db.execute(sql, args)
        return cur.rowcount

    async def many(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        await self.db.executemany(sql, rows)


class _Postgres:
    def __init__(self, conn: asyncpg.Connection) -> None:
        self.conn = conn
        self._sql: dict[str, str] = {}

    def ts(self, at: datetime) -> Any:
        return at

    def _pg(self, sql: str) -> str:
        if sql not in self._sql:
            count = iter(range(1, 100))
            self._sql[sql] = re.sub(r"\?", lambda _m: f"${next(count)}", sql)
        return self._sql[sql]

    async def value(self, sql: str, *args: Any) -> Any:
        return await self.conn.fetchval(self._pg(sql), *args)

    async def run(self, sql: str, *args: Any) -> int:
        status = await self.conn.execute(self._pg(sql), *args)
        return int(status.rsplit(" ", 1)[-1])

    async def many(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        await self.conn.executemany(self._pg(sql), rows)


async def _one_order(db: _Sqlite | _Postgres, i: int, *, reads: bool) -> None:
    external_id, now = f"RAW-{reads:d}-{i}", db.ts(NOW)
    if reads:
        assert await db.value(READS[0], "web", external_id) is None
        assert await db.value(READS[1], "ada@example.com") == 1
        assert await db.value(READS[2], "MUG-01") is not None
    assert await db.run(STOCK, 2, "MUG-01", "MIL", 2) == 1
    order_id = await db.value(
        ORDER, external_id, "web", "confirmed", "paid", "EUR", 1, ADDRESS, "standard", "[]",
        CENTS_25, 0, CENTS_25, CENTS_25, now, db.ts(NOW + timedelta(hours=48)),
        date(2026, 12, 1))
    await db.run(LINE, order_id, "MUG-01", "Mug", 2, 125000, 41000)
    shipment_id = await db.value(SHIPMENT, order_id, "MIL", "pending")
    await db.run(ITEM, shipment_id, "MUG-01", 2)
    payment_id = await db.value(PAYMENT, order_id, "payment", CENTS_25, "EUR", "web",
                                external_id, now)
    entry, day = f"PAY-{payment_id:06d}", NOW.date()
    await db.many(JOURNAL, [
        (day, now, entry, "cash", CENTS_25, 0, "EUR", CENTS_25, 0, order_id, "payment (web)"),
        (day, now, entry, "receivables", 0, CENTS_25, "EUR", 0, CENTS_25, order_id,
         "payment (web)")])
    assert await db.value(OUTBOX, "email", "order_confirmation", "ada@example.com",
                          json.dumps({"order_id": order_id}), "it", order_id, "pending", 0,
                          now, now, f"email:ada@example.com:raw:{reads:d}:{i}") is not None
    await db.run(AUDIT, now, "api:bench", "api", "order.place", f"ORD-{order_id:06d}",
                 json.dumps({"channel": "web", "external_id": external_id}))


async def raw_sqlite(url: str, orders: int, *, reads: bool = True) -> Figures:
    path = make_url(url).database
    assert path
    conn = await aiosqlite.connect(path, isolation_level=None)
    await conn.execute("PRAGMA journal_mode=WAL")
    await conn.execute("PRAGMA synchronous=NORMAL")
    db = _Sqlite(conn)

    async def one(_c: int, i: int) -> None:
        await conn.execute("BEGIN IMMEDIATE")
        await _one_order(db, i, reads=reads)
        await conn.execute("COMMIT")

    try:
        return await measure(f"(a) raw aiosqlite loop{'' if reads else ', writes only'}", 1,
                             orders, one)
    finally:
        await conn.close()


async def raw_postgres(url: str, orders: int, *, reads: bool = True) -> Figures:
    conn = await asyncpg.connect(pg_dsn(url))
    db = _Postgres(conn)

    async def one(_c: int, i: int) -> None:
        async with conn.transaction():
            await _one_order(db, i, reads=reads)

    try:
        return await measure(f"(a) raw asyncpg loop{'' if reads else ', writes only'}", 1,
                             orders, one)
    finally:
        await conn.close()
