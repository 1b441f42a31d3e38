"""Reports through every door: HTTP, `omsbot export report`, Slack `/oms report` with its
chart uploaded by files_upload_v2, the console saving the chart, and the daily report."""

from __future__ import annotations

import struct
from collections.abc import AsyncIterator
from datetime import date
from pathlib import Path

import pytest
from aiohttp.test_utils import TestClient, TestServer
from sqlalchemy import select

from bot.bootstrap import Core, build_core
from bot.slack import build_slack_notifier, build_staff_service
from bot.staff import local_admin
from bot.web import build_web_app
from channels.console.shell import Console
from channels.staff_render import staff_environment
from domain.automation.commands import SendDailyReport
from domain.clock import FixedClock
from domain.notifications import Notification
from storage import orm
from tests.conftest import make_settings
from tests.doubles import FakeSlackAPI
from tests.e2e.processes import run_cli
from tests.e2e.slack_harness import VIEWER, Shop, shop, text_of
from tests.e2e.test_api import Api
from tests.jobs_support import outbox
from tests.sales_shop import EXPECTED, ROME, sales_shop

__all__ = ["shop"]


def png_size(data: bytes) -> tuple[int, int]:
    """Width and height from a PNG's IHDR; fails unless `data` is a PNG."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR"
    width, height = struct.unpack(">II", data[16:24])
    return int(width), int(height)


def assert_sensible_chart(data: bytes) -> None:
    assert 10_000 < len(data) < 500_000
    width, height = png_size(data)
    assert 800 <= width <= 1600 and 400 <= height <= 1000


@pytest.fixture
async def rome(database_url: str, clock: FixedClock) -> AsyncIterator[Core]:
    core = build_core(make_settings(database_url, timezone=ROME), clock=clock)
    try:
        yield core
    finally:
        await core.close()


@pytest.fixture
async def rome_api(rome: Core) -> AsyncIterator[Api]:
    client = TestClient(TestServer(build_web_app(rome)))
    await client.start_server()
    try:
        yield Api(client, await rome.tokens.create("reports"))
    finally:
        await client.close()


async def test_get_report_for_a_range_of_shop_days(rome: Core, rome_api: Api) -> None:
    await sales_shop(rome.bus)
    status, body = await rome_api.call("GET", "/reports/2026-11-20..2026-11-22")
    assert (status, body) == (200, EXPECTED)
    status, body = await rome_api.call("GET", "/reports/week")  # 18–24 Nov, Rome
    assert status == 200 and (body["from"], body["to"]) == ("2026-11-18", "2026-11-24")
    assert body["orders"] == 7 and body["net_revenue"] == "100.60"


@pytest.mark.parametrize("period", ["year", "2026-13", "2026-11-22..2026-11-20",
                                    "2026-02-30..2026-03-01", "2024-01-01..2026-01-01"])
async def test_a_bad_period_is_a_422_naming_it(rome_api: Api, period: str) -> None:
    status, body = await rome_api.call("GET", f"/reports/{period}")
    assert status == 422 and body["fields"][0]["path"] == "period", body


async def test_export_report_writes_csv_by_day_with_a_total_row(
        core: Core, database_url: str, tmp_path: Path) -> None:
    await sales_shop(core.bus)
    out = tmp_path / "november.csv"
    code, stdout, err = await run_cli(database_url, tmp_path, "export", "report",
                                      "--period", "2026-11", "--out", str(out))
    assert code == 0, err
    assert stdout == ""
    assert "not converted (no GBP rate on their day): 1 order(s), 10.00 GBP" in err
    rows = out.read_text(encoding="utf-8").splitlines()
    assert rows[0] == "date,orders,net_revenue,margin,currency"
    assert len(rows) == 1 + 30 + 1
    assert rows[20] == "2026-11-20,2,33.00,24.80,EUR"  # A, and H at 23:30 UTC
    assert rows[-1] == "total,7,100.60,68.65,EUR"
    code, _, err = await run_cli(database_url, tmp_path, "export", "report", "--period", "x")
    assert code == 1 and err.startswith("omsbot: period: 'x' is not a period")


async def test_slack_report_answers_and_uploads_a_real_png_chart(shop: Shop) -> None:
    await sales_shop(shop.core.bus)
    answer = await shop.ask("report week", VIEWER)
    [complete] = await shop.slack.wait_for("files.completeUploadExternal",
                                                      timeout=60)

    text = text_of(answer)
    assert answer["response_type"] == "ephemeral"
    assert "*Last 7 days, 18 Nov – 24 Nov 2026 (UTC)*" in text
    assert "Orders: 7 · revenue 113.10 EUR · refunds 12.50 EUR · net 100.60 EUR" in text
    assert "Not converted (no GBP rate on their day): 1 order, 10.00 GBP" in text
    [chart] = shop.slack.files("C0001")
    assert chart.filename == "sales-2026-11-18-2026-11-24.png"
    assert chart.title == "Sales — Last 7 days, 18 Nov – 24 Nov 2026 (UTC)"
    assert chart.content is not None
    assert_sensible_chart(chart.content)
    assert complete["channel_id"] == "C0001"


async def test_console_report_saves_the_chart_and_prints_where(
        core: Core, tmp_path: Path) -> None:
    await sales_shop(core.bus)
    lines = iter(["report today", "report month"])
    written: list[str] = []

    async def read(prompt: str) -> str | None:
        return next(lines, None)

    await Console(build_staff_service(core), staff_environment(), local_admin(), read,
                  written.append, files_dir=tmp_path / "reports").run()
    saved = [line.removeprefix("Chart saved to ") for line in written
             if line.startswith("Chart saved to ")]
    assert saved == [str(tmp_path / "reports" / "sales-2026-11-24.png"),
                     str(tmp_path / "reports" / "sales-2026-10-26-2026-11-24.png")]
    for path in saved:
        assert_sensible_chart(Path(path).read_bytes())
    assert "Orders: 7 · revenue 113.10 EUR" in "\n".join(written)


async def test_the_daily_report_is_posted_with_its_chart(database_url: str,
                                                         clock: FixedClock) -> None:
    async with FakeSlackAPI() as slack:
        settings = make_settings(database_url, slack_bot_token="xoxb-test",
                                 slack_signing_secret="s", slack_api_url=await slack.start(),
                                 slack_alerts_channel="CALERTS")
        core = build_core(settings, clock=clock)
        try:
            await sales_shop(core.bus)
            await core.bus.handle(SendDailyReport(day=date(2026, 11, 22)))
            [stored] = await outbox(core, "daily_report")
            notifier = build_slack_notifier(settings, core.views)
            assert notifier is not None
            file_id = await notifier.send(await _notification(core))
        finally:
            await core.close()
    [chart] = slack.files("CALERTS")
    assert chart.id == file_id and chart.content is not None
    assert_sensible_chart(chart.content)
    assert chart.initial_comment is not None
    assert "Daily report for Sun 22 Nov 2026 (UTC)" in chart.initial_comment
    # UTC days: F 50.00 − 12.50, G 9.50, OUT 8.00 (23:30 UTC)
    assert stored["payload"]["sales"]["net_revenue"] == "55.00"
    assert slack.messages("CALERTS") == []  # the text went with the chart, once


async def _notification(core: Core) -> Notification:
    async with core.db.read_sessions() as s:
        return (await s.scalars(select(Notification).where(
            orm.notifications.c.kind == "daily_report"))).one()


async def test_slack_top_customers_products_and_a_customer(shop: Shop) -> None:
    await sales_shop(shop.core.bus)

    top = text_of(await shop.ask("top 2", VIEWER))
    profit = text_of(await shop.ask("top profit", VIEWER))
    products = text_of(await shop.ask("top products 1 units", VIEWER))
    bob = text_of(await shop.ask("customer bob@example.com", VIEWER))

    assert "*Most valuable customers by revenue* (lifetime, net of refunds)" in top
    assert "1. *Ada Lovelace* cy@example.com: revenue €45.50, profit €29.10" in top
    assert "2. *Ada Lovelace* ada@example.com: revenue €42.50" in top
    assert "bob@example.com" not in top
    assert profit.index("ada@example.com") < profit.index("cy@example.com")
    assert "(and £" in profit and "without a rate)" in profit  # bob's GBP order
    assert "1. `MUG-01` Mug: 7 units in 3 orders, revenue €87.60, profit €58.50" in products
    assert "lifetime value €" in bob and "in 1 order without a rate to EUR\n• *ORD-000003*" in bob


async def test_api_customer_names_what_has_no_rate(rome_api: Api, rome: Core) -> None:
    await sales_shop(rome.bus)
    status, bob = await rome_api.call("GET", "/customers/bob@example.com")
    assert status == 200
    assert bob["currency"] == "EUR" and bob["orders"] == 2
    assert bob["revenue"] == "12.60" and bob["profit"] == "8.10"
    assert [u["currency"] for u in bob["not_converted"]] == ["GBP"]
