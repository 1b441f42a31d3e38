"""The command line of CONTRACT §3, run as a real process."""

from __future__ import annotations

import asyncio
import json
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select

from bot.bootstrap import Core, build_core
from storage import orm
from tests.catalog import small_shop
from tests.conftest import make_settings
from tests.e2e.processes import omsbot_env, run_cli
from tests.helpers import stock_state


async def test_apikey_create_prints_the_token_alone(core: Core, database_url: str,
                                                    tmp_path: Path) -> None:
    code, out, err = await run_cli(database_url, tmp_path, "apikey", "create", "webshop")
    assert code == 0, err
    token = out.strip()
    assert out == token + "\n" and token.startswith("oms_")
    assert await core.tokens.verify(token) == "webshop"


async def test_import_orders_jsonl_with_history(core: Core, database_url: str,
                                                tmp_path: Path) -> None:
    await small_shop(core.bus, stock=10)
    base = {"channel": "web", "currency": "EUR",
            "customer": {"email": "ada@example.com", "name": "Ada"},
            "shipping_address": {"name": "Ada", "line1": "Via Roma 1", "city": "Milano",
                                 "postal_code": "20121", "country": "IT"},
            "lines": [{"sku": "MUG-01", "quantity": 2, "unit_price": "12.50"}]}
    rows = [
        {**base, "external_id": "OLD-1", "status": "delivered",
         "placed_at": "2025-01-02T10:00:00Z", "delivered_at": "2025-01-05T10:00:00Z"},
        {**base, "external_id": "NEW-1"},
        {**base, "external_id": "BAD-1", "lines": [{"sku": "NOPE", "quantity": 1}]},
    ]
    path = tmp_path / "orders.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n{not json\n")
    code, out, err = await run_cli(database_url, tmp_path, "import", "orders", str(path))
    assert code == 1, err  # rows were rejected (after the good ones were imported)
    assert "imported 2 orders" in out
    assert "rejected line 3, column lines.0.sku (web BAD-1): unknown SKU 'NOPE'" in out
    assert "rejected line 4: not valid JSON" in out
    # Only the open order reserved stock; the delivered one moved nothing.
    assert ("MUG-01", "MIL", 10, 2) in await stock_state(core)
    delivered = await core.views.order(1)
    assert delivered is not None and delivered["status"] == "delivered"


async def test_import_orders_csv_groups_lines(core: Core, database_url: str,
                                              tmp_path: Path) -> None:
    await small_shop(core.bus)
    header = ("external_id,channel,currency,customer_email,customer_name,ship_name,ship_line1,"
              "ship_city,ship_postal_code,ship_country,sku,quantity,unit_price,status,"
              "shipped_at\n")
    path = tmp_path / "orders.csv"
    path.write_text(header
                    + "S-1,store,EUR,bob@example.com,Bob,Bob,Via X 1,Roma,00100,IT,MUG-01,1,"
                      "12.50,shipped,2025-03-01T09:00:00Z\n"
                    + "S-1,store,EUR,bob@example.com,Bob,Bob,Via X 1,Roma,00100,IT,TEA-01,3,"
                      "8.00,shipped,2025-03-01T09:00:00Z\n"
                    + "S-2,store,EUR,bob@example,Bob,Bob,Via X 1,Roma,00100,IT,MUG-01,1,"
                      "12.50,,\n")
    code, out, _ = await run_cli(database_url, tmp_path, "import", "orders", str(path))
    assert code == 1
    assert "imported 1 orders" in out
    assert "rejected line 4, column customer_email (store S-2): " in out
    order = await core.views.order(1)
    assert order is not None
    assert [ln["sku"] for ln in order["lines"]] == ["MUG-01", "TEA-01"]
    assert order["status"] == "shipped" and order["total"] == "36.50"


async def test_bad_config_is_one_line_and_exit_1(database_url: str, tmp_path: Path) -> None:
    env = omsbot_env(database_url, OMSBOT_BASE_CURRENCY="EURO")
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "apikey", "create", "x", cwd=tmp_path, env=env,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
    out, err = await proc.communicate()
    assert proc.returncode == 1
    assert err.decode().strip().splitlines() == [
        "omsbot: OMSBOT_BASE_CURRENCY: 'EURO' is not an ISO 4217 currency code; "
        "for example EUR"]
    assert out == b""


async def test_bad_usage_is_exit_2(database_url: str, tmp_path: Path) -> None:
    code, _, err = await run_cli(database_url, tmp_path, "import", "orders")
    assert code == 2
    assert "Missing argument" in err
    code, _, _ = await run_cli(database_url, tmp_path, "no-such-command")
    assert code == 2
    code, out, _ = await run_cli(database_url, tmp_path, "--help")
    assert code == 0 and "apikey" in out


async def test_seed_demo_once_shows_a_living_shop(core: Core, database_url: str,
                                                  tmp_path: Path) -> None:
    code, out, err = await run_cli(database_url, tmp_path, "seed", "demo", "--if-empty")
    assert code == 0, err
    assert out.strip() == "demo shop loaded: 12 orders"
    orders, _ = await core.views.orders(limit=50)
    statuses = {o["status"] for o in orders}
    assert {"confirmed", "picking", "shipped", "delivered", "pending_payment"} <= statuses
    assert len(await core.views.inventory("MUG-01") or []) == 3
    code, out, _ = await run_cli(database_url, tmp_path, "seed", "demo", "--if-empty")
    assert (code, out.strip()) == (0, "the database already has orders: demo not loaded")


async def test_the_demo_shop_has_a_past_and_a_quiet_first_minute(core: Core, database_url: str,
                                                                 tmp_path: Path) -> None:
    from domain.automation.runner import JOB_NAMES, run_job

    code, _, err = await run_cli(database_url, tmp_path, "seed", "demo")
    assert code == 0, err
    real_time = build_core(make_settings(database_url))  # the CLI's clock, not the fixture's
    try:
        for job in JOB_NAMES:  # what the scheduler runs after its first minute
            await run_job(real_time.bus, job)
        async with real_time.db.read_sessions() as s:
            kinds = set(await s.scalars(select(orm.notifications.c.kind)))
            left = list(await s.execute(select(orm.orders.c.shipped_at, orm.orders.c.delivered_at)
                                        .where(orm.orders.c.shipped_at.is_not(None))))
        orders, _ = await real_time.views.orders(limit=50)
    finally:
        await real_time.close()

    today = datetime.now(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    assert not kinds & {"order_delayed", "order_cancelled", "payment_reminder"}
    assert "cancelled" not in {o["status"] for o in orders}
    assert left and all(_utc(t) < today for row in left for t in row if t is not None)


def _utc(value: Any) -> Any:
    return value if value.tzinfo else value.replace(tzinfo=UTC)


async def test_db_upgrade_builds_a_fresh_sqlite_database(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'fresh' / 'shop.db'}"
    code, out, err = await run_cli(url, tmp_path, "db", "upgrade")
    assert code == 0, err
    assert out.strip() == "database is at head"
    code, out, _ = await run_cli(url, tmp_path, "seed", "demo", "--if-empty")
    assert (code, out.strip()) == (0, "demo shop loaded: 12 orders")
