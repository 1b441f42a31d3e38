"""The journal of a month of the demo shop, exported by `omsbot export journal` and read
from `GET /api/v1/journal`, on SQLite and PostgreSQL: balanced, and as CSV a spreadsheet
opens with no edits."""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

from aiohttp.test_utils import TestClient, TestServer

from bot.bootstrap import Core
from bot.cli_journal import JOURNAL_COLUMNS
from bot.demo import seed_demo
from bot.web import build_web_app
from domain.accounting.commands import SetFxRate
from domain.orders import commands as oc
from tests.catalog import order_command, small_shop
from tests.e2e.test_api import Api
from tests.e2e.test_jobs_cli import omsbot


def balanced(rows: list[dict[str, str]]) -> None:
    per_entry: dict[str, list[Decimal]] = defaultdict(lambda: [Decimal(0)] * 4)
    for row in rows:
        sums = per_entry[row["entry"]]
        for i, column in enumerate(("debit", "credit", "debit_base", "credit_base")):
            sums[i] += Decimal(row[column] or 0)
    for entry, (debit, credit, debit_base, credit_base) in per_entry.items():
        assert debit == credit and debit_base == credit_base, entry


async def test_a_month_of_the_demo_shop_exports_balanced(core: Core, database_url: str,
                                                         tmp_path: Path) -> None:
    await seed_demo(core.bus)
    out = tmp_path / "journal.csv"

    done = omsbot(database_url, tmp_path, "export", "journal", "--from", "2026-11-01",
                  "--to", "2026-11-30", "--out", str(out))

    assert done.returncode == 0, done.stderr
    raw = out.read_bytes()
    assert raw.startswith(b"date,entry,account,debit,credit,currency,debit_base,credit_base,"
                          b"order,rma,memo\r\n")
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8"))))
    assert tuple(rows[0]) == JOURNAL_COLUMNS and len(rows) > 10
    balanced(rows)
    assert sum(Decimal(r["debit"]) for r in rows) == sum(Decimal(r["credit"]) for r in rows)
    accounts = {r["account"] for r in rows}
    assert {"cash", "receivables", "sales", "vat_payable", "shipping_income", "cogs",
            "inventory"} <= accounts
    assert all(r["date"].startswith("2026-11-") and r["order"].startswith("ORD-")
               for r in rows)
    def vat_on(shipping: bool) -> Decimal:
        return sum((Decimal(r["credit"]) - Decimal(r["debit"]) for r in rows
                    if r["account"] == "vat_payable" and ("shipping" in r["memo"]) == shipping),
                   Decimal(0))

    sales = sum(Decimal(r["credit"]) for r in rows if r["account"] == "sales")
    shipping = sum(Decimal(r["credit"]) for r in rows if r["account"] == "shipping_income")
    for vat, net in ((vat_on(False), sales), (vat_on(True), shipping)):
        assert vat > 0 and abs(vat - net * Decimal("0.22")) < Decimal("0.10") * len(rows)
    assert f"{len(rows)} lines" in done.stderr
    bad = omsbot(database_url, tmp_path, "export", "journal", "--from", "2026-11-30",
                 "--to", "2026-11-01")
    assert bad.returncode == 1 and "to: must not be before from" in bad.stderr


async def test_the_api_journal_converts_at_the_days_rate_or_says_there_is_none(
        core: Core) -> None:
    """F21: a line booked before the day's rate was set is converted when read, as the
    reports convert it; the memo names a missing rate only while there is none."""
    await small_shop(core.bus)
    usd = oc.PlaceOrder(**{**order_command("USD-1").__dict__, "currency": "USD",
                           "lines": (oc.LineRequest("MUG-01", 1, Decimal("10.00")),)})
    await core.bus.handle(usd)
    client = TestClient(TestServer(build_web_app(core)))
    await client.start_server()
    try:
        api = Api(client, await core.tokens.create("journal"))

        async def cash_of(number: str) -> list[tuple[str, str | None, str]]:
            status, body = await api.call("GET", "/journal?from=2026-11-24&to=2026-11-24")
            assert status == 200, body
            lines = [ln for ln in body["lines"] if ln["order"] == number]
            debits = sum(Decimal(ln["debit_base"] or 0) for ln in lines)
            assert debits == sum(Decimal(ln["credit_base"] or 0) for ln in lines)
            return [(ln["debit"], ln["debit_base"], ln["memo"]) for ln in lines
                    if ln["account"] == "cash"]

        [(_, base, memo)] = await cash_of("ORD-000001")
        assert base is None and "no EUR rate for USD on 2026-11-24" in memo
        await core.bus.handle(SetFxRate("USD", "0.9", timezone=core.settings.timezone))
        await core.bus.handle(oc.PlaceOrder(**{**usd.__dict__, "external_id": "USD-2"}))
        for number in ("ORD-000001", "ORD-000002"):
            assert await cash_of(number) == [("10.00", "9.00", "payment (web)")]
        status, body = await api.call("GET", "/journal?from=2026-11-24")
        assert status == 422 and body["fields"][0]["path"] == "to"
    finally:
        await client.close()
