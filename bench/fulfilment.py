"""Fulfilment at scale: 10,000 open orders in one warehouse.

    python bench/fulfilment.py                    # SQLite in a temporary directory
    python bench/fulfilment.py --database postgres --orders 10000

Prints the pick-list generation time of each method (the query of the rows with their
bins, the lists in walk order, and the PDF), shipping labels per second (data read from
the database and the 4x6 in PDF rendered), and the packer's time per parcel (packing
alone, and packing plus rating with two carriers).
"""

from __future__ import annotations

import sys
from pathlib import Path

# Run as `python bench/NAME.py`, this folder comes first on the path, and bench/email.py
# would hide the standard library's `email`: put the project root there instead.
sys.path[0] = str(Path(__file__).resolve().parents[1])

import argparse
import asyncio
import random
import time
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import insert, select

from bench.common import fresh_database
from bot.bootstrap import build_core
from bot.demo_fulfilment import BOXES, CARRIERS, FAMILIES, product_size
from bot.settings import Settings
from channels.documents.render import label_pdf, picklist_pdf
from domain.clock import FixedClock
from domain.fulfillment import commands as fc
from domain.fulfillment.carriers import Carrier
from domain.fulfillment.packing import pack
from domain.fulfillment.picking import STRATEGIES, build_pick_lists
from domain.fulfillment.planning import Destination, plan_parcels, units_of
from domain.inventory.model import Product
from domain.orders import model as om
from domain.orders.commands import ShipOrder
from storage import orm
from storage.fulfilment_tables import bins
from storage.fulfilment_views import SqlFulfilmentViews

NOW = datetime(2026, 11, 24, 8, 0, tzinfo=UTC)
SKUS = [f"{family}-{n:02d}" for family in FAMILIES for n in range(1, 7)]  # 198 SKUs


def _rows(orders: int, rng: random.Random) -> dict[str, list[dict[str, Any]]]:
    """Customers, orders, 1-4 lines each and one pending shipment of them from MIL (what
    shipping books in the journal: every parcel's units come from the order's lines)."""
    address = {"name": "Ada Lovelace", "line1": "Via Roma 1", "city": "Milano",
               "postal_code": "20121", "country": "IT"}
    tables: dict[str, list[dict[str, Any]]] = {
        "customers": [{"id": c, "email": f"c{c}@example.com", "name": f"Customer {c}",
                       "flags": []} for c in range(1, 1001)],
        "orders": [], "order_lines": [], "shipments": [], "shipment_items": []}
    for oid in range(1, orders + 1):
        ship_by = NOW + timedelta(minutes=rng.randrange(0, 3 * 24 * 60))
        tables["orders"].append({
            "id": oid, "external_id": f"B-{oid}", "channel": "web", "status": om.CONFIRMED,
            "payment_status": "paid", "currency": "EUR", "customer_id": 1 + oid % 1000,
            "shipping_address": address, "shipping_method": "standard", "flags": [],
            "subtotal": Decimal("10"), "shipping_total": Decimal("0"), "total": Decimal("10"),
            "placed_at": ship_by - timedelta(days=2), "promised_ship_by": ship_by,
            "promised_delivery": (ship_by + timedelta(days=5)).date()})
        tables["shipments"].append({"id": oid, "order_id": oid, "warehouse": "MIL",
                                    "status": om.SHIPMENT_PENDING})
        for sku in rng.sample(SKUS, rng.randint(1, 4)):  # each parcel item is a line's
            quantity = rng.randint(1, 3)
            tables["order_lines"].append({"order_id": oid, "sku": sku, "name": f"Product {sku}",
                                          "quantity": quantity, "unit_price": Decimal("10")})
            tables["shipment_items"].append({"shipment_id": oid, "sku": sku,
                                             "quantity": quantity})
    return tables


async def _build(url: str, orders: int) -> Any:
    core = build_core(Settings(database_url=url, secret_key="bench", _env_file=None),
                      clock=FixedClock(NOW))
    rng = random.Random(42)
    async with core.db.write_session() as s:
        await s.execute(insert(orm.warehouses).values(
            code="MIL", name="Milano Nord", country="IT", postal_code="20126", city="Milano",
            line1="Viale Monza 120", priority=1))
        await s.execute(insert(orm.products), [{
            "sku": sku, "name": f"Product {sku}", "price": Decimal("10"), "currency": "EUR",
            "barcode": None, "weight_g": product_size(sku.split("-")[0] + "-01")[0],
            "length_mm": product_size(sku.split("-")[0] + "-01")[1],
            "width_mm": product_size(sku.split("-")[0] + "-01")[2],
            "height_mm": product_size(sku.split("-")[0] + "-01")[3]} for sku in SKUS])
        await s.execute(insert(bins), [{"sku": sku, "warehouse": "MIL",
                                        "bin": f"{FAMILIES[sku.split('-')[0]][4]}-"
                                               f"{i // 6 + 1:02d}-{i % 6 + 1}"}
                                       for i, sku in enumerate(SKUS)])
        for table, rows in _rows(orders, rng).items():
            for start in range(0, len(rows), 5000):
                await s.execute(insert(orm.metadata.tables[table]), rows[start:start + 5000])
    for carrier in CARRIERS:
        await core.bus.handle(carrier)
    for box in BOXES:
        await core.bus.handle(fc.UpsertBox("MIL", box))
    return core


def _seconds(started: float) -> float:
    return time.perf_counter() - started


class Clocks:
    """Wall and CPU seconds of a block: on a shared machine the CPU time is the cost."""

    def __enter__(self) -> Clocks:
        self.wall, self.cpu = time.perf_counter(), time.process_time()
        return self

    def __exit__(self, *exc: object) -> None:
        self.wall = time.perf_counter() - self.wall
        self.cpu = time.process_time() - self.cpu

    def __str__(self) -> str:
        return f"{self.wall:7.2f} s ({self.cpu:6.2f} s CPU)"


async def _pick_lists(core: Any) -> None:
    started = time.perf_counter()
    rows = await core.views.pick_rows("MIL", limit=1_000_000)
    query = _seconds(started)
    print(f"pick rows with bins: {len(rows):,} rows from {len({r.order for r in rows}):,} "
          f"orders read in {query * 1000:,.0f} ms")
    for method in STRATEGIES:
        with Clocks() as built:
            lists = build_pick_lists(rows, method)
        with Clocks() as rendered:
            pdf = picklist_pdf(lists, method, "MIL", NOW)
        print(f"  {method:<6} {len(lists):>6,} lists: built in {built.wall * 1000:7.1f} ms, "
              f"PDF ({len(pdf) / 1e6:.1f} MB) in {rendered}")


async def _labels(core: Any, count: int) -> None:
    for oid in range(1, count + 1):
        await core.bus.handle(ShipOrder(oid))  # rate-shopped, tracking from the series
    views = SqlFulfilmentViews(core.db)
    found = [await views.label(sid) for sid in range(1, count + 1)]
    labels = [x for x in found if x is not None]
    label_pdf(labels[:1])  # fonts registered, templates compiled
    with Clocks() as rendered:
        for label in labels:
            label_pdf([label])
    with Clocks() as served:
        for sid in range(1, count + 1):
            label = await views.label(sid)
            assert label is not None
            label_pdf([label])
    print(f"labels ({count}, Code 128 + QR each): rendered {len(labels) / rendered.wall:.1f}/s "
          f"({len(labels) / rendered.cpu:.1f}/s per CPU second); read from the database and "
          f"rendered {count / served.wall:.1f}/s ({count / served.cpu:.1f}/s per CPU second)")


async def _packer(core: Any, carriers: list[Carrier]) -> None:
    async with core.db.read_sessions() as s:
        products = {p.sku: p for p in await s.scalars(select(Product))}
        items: dict[int, list[tuple[str, int]]] = {}
        for row in await s.execute(select(orm.shipment_items.c.shipment_id,
                                          orm.shipment_items.c.sku,
                                          orm.shipment_items.c.quantity)):
            items.setdefault(row.shipment_id, []).append((row.sku, row.quantity))
    boxes = list(BOXES)
    shipments = [units_of(lines, products) for lines in items.values()]
    parcels = 0
    with Clocks() as packed:
        for units in shipments:
            parcels += len(pack(units, boxes))
    where = Destination("IT", (NOW + timedelta(days=5)).date(), express=False)
    with Clocks() as planned:
        for units in shipments:
            plan_parcels(units, boxes, carriers, where, NOW.date())
    print(f"packer: {len(shipments):,} shipments into {parcels:,} parcels; per parcel "
          f"{packed.wall / parcels * 1e6:,.0f} µs packing ({packed.cpu / parcels * 1e6:,.0f} "
          f"µs CPU), {planned.wall / parcels * 1e6:,.0f} µs packing and rating with 2 "
          f"carriers ({planned.cpu / parcels * 1e6:,.0f} µs CPU)")


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--orders", type=int, default=10_000)
    parser.add_argument("--labels", type=int, default=200)
    args = parser.parse_args()
    async with fresh_database(args.database) as url:
        started = time.perf_counter()
        core = await _build(url, args.orders)
        print(f"fulfilment bench on {args.database}: {args.orders:,} open orders in one "
              f"warehouse, {len(SKUS)} SKUs (built in {_seconds(started):.1f} s)")
        try:
            await _pick_lists(core)
            await _packer(core, [Carrier(c.code, c.name, list(c.services), c.tracking_url,
                                         c.tracking_prefix) for c in CARRIERS])
            await _labels(core, args.labels)
        finally:
            await core.close()


if __name__ == "__main__":
    asyncio.run(main())
