"""`omsbot import orders` as a migrating shop runs it, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
from pathlib import Path

from bot.bootstrap import Core
from tests.catalog import small_shop
from tests.e2e.processes import run_cli
from tests.helpers import stock_state, table_counts

HEADER = ["external_id", "channel", "currency", "customer_email", "customer_name",
          "ship_name", "ship_line1", "ship_city", "ship_postal_code", "ship_country", "sku",
          "quantity", "unit_price", "status", "placed_at", "shipped_at", "delivered_at"]


def row(external_id: str, **cells: str) -> dict[str, str]:
    base = {"external_id": external_id, "channel": "pos-milano", "currency": "EUR",
            "customer_email": "lucia@example.com", "customer_name": "Lucia Città",
            "ship_name": "Lucia", "ship_line1": "Via Roma 1", "ship_city": "Città di Castello",
            "ship_postal_code": "06012", "ship_country": "IT", "sku": "mug-01",
            "quantity": "1", "unit_price": "12,50", "status": "", "placed_at": "",
            "shipped_at": "", "delivered_at": ""}
    base.update(cells)
    return base


def write_csv(path: Path, rows: list[dict[str, str]], *, delimiter: str = ";",
              encoding: str = "cp1252") -> Path:
    lines = [delimiter.join(HEADER)] + [delimiter.join(r[c] for c in HEADER) for r in rows]
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode(encoding))
    return path


async def test_semicolon_windows_1252_csv_with_decimal_commas(
        core: Core, database_url: str, tmp_path: Path) -> None:
    await small_shop(core.bus)
    path = write_csv(tmp_path / "export.csv", [
        row("P-1"), row("P-1", sku="TEA-01", quantity="2", unit_price="8,00")])
    code, out, err = await run_cli(database_url, tmp_path, "import", "orders", str(path))
    assert code == 0, out + err
    assert "imported 1 orders" in out
    order = await core.views.order(1)
    assert order is not None
    assert order["customer"]["name"] == "Lucia Città"
    assert order["shipping_address"]["city"] == "Città di Castello"
    assert order["channel"] == "pos-milano" and order["total"] == "28.50"
    assert [ln["sku"] for ln in order["lines"]] == ["MUG-01", "TEA-01"]


async def test_bad_rows_named_by_line_and_column_and_exit_1(
        core: Core, database_url: str, tmp_path: Path) -> None:
    await small_shop(core.bus)
    rows = [row("G-1"), row("B-1", quantity="1.9"), row("B-2", customer_email="not-an-address"),
            row("B-3", unit_price="99999999999999999999"), row("B-4", channel="amazon it"),
            row("B-5", sku="NOPE"),
            row("B-6", status="delivered", shipped_at="2025-03-02T10:00:00Z",
                delivered_at="2025-03-01T10:00:00Z"),
            row("B-7", placed_at="2099-01-01T10:00:00Z"),  # beyond 5 minutes of skew
            row("B-8", status="shipped", placed_at="2025-03-01T10:00:00Z"),
            row("B-9", status="delivered", placed_at="2025-03-01T10:00:00Z",
                shipped_at="2025-03-02T10:00:00Z")]
    for r in rows:
        r["unit_price"] = r["unit_price"].replace(",", ".")
    path = write_csv(tmp_path / "bad.csv", rows, delimiter=",", encoding="utf-8-sig")
    code, out, _ = await run_cli(database_url, tmp_path, "import", "orders", str(path))
    assert code == 1
    assert "imported 1 orders" in out and "rejected 9 rows" in out
    for line, column in [(3, "quantity"), (4, "customer_email"), (5, "unit_price"),
                         (6, "channel"), (7, "sku"), (8, "delivered_at"), (9, "placed_at"),
                         (10, "shipped_at"), (11, "delivered_at")]:
        assert f"rejected line {line}, column {column} " in out, out
    assert "column placed_at (pos-milano B-7): is in the future (more than 5 minutes" in out
    assert "column shipped_at (pos-milano B-8): is required when the status is shipped" in out


async def test_dry_run_writes_nothing_and_imports_notify_nobody(
        core: Core, database_url: str, tmp_path: Path) -> None:
    await small_shop(core.bus)
    rows = [{"external_id": f"J-{i}", "channel": "web", "currency": "EUR",
             "customer": {"email": f"c{i}@example.com", "name": "C"},
             "shipping_address": {"name": "C", "line1": "Via 1", "city": "Roma",
                                  "postal_code": "00100", "country": "IT"},
             "lines": [{"sku": "MUG-01", "quantity": 1}]} for i in range(3)]
    path = tmp_path / "orders.json"
    path.write_text(json.dumps(rows))
    before = await table_counts(core)
    stock = await stock_state(core)
    code, out, err = await run_cli(database_url, tmp_path, "import", "orders", str(path),
                                   "--dry-run")
    assert code == 0, err
    assert "would import 3 orders" in out
    assert await table_counts(core) == before and await stock_state(core) == stock
    code, out, err = await run_cli(database_url, tmp_path, "import", "orders", str(path))
    assert code == 0, err
    after = await table_counts(core)
    assert after["orders"] == 3 and after["notifications"] == before["notifications"]
    rows[0]["external_id"] = "J-NOTIFY"
    path.write_text(json.dumps(rows[:1]))
    code, _, err = await run_cli(database_url, tmp_path, "import", "orders", str(path),
                                 "--notify")
    assert code == 0, err
    assert (await table_counts(core))["notifications"] == before["notifications"] + 1


async def test_help_lists_the_columns(database_url: str, tmp_path: Path) -> None:
    code, out, _ = await run_cli(database_url, tmp_path, "import", "orders", "--help")
    assert code == 0
    for column in HEADER:
        assert column in out
