"""The sales report in SQL on SQLite and PostgreSQL: two currencies (one without a rate),
refunds, cancelled and replacement orders, shop days in Europe/Rome."""

from __future__ import annotations

from bot.bootstrap import Core
from domain.accounting.periods import report_window
from domain.accounting.sales import sales_report_view
from storage.uow import SqlUnitOfWork
from tests.conftest import NOW
from tests.sales_shop import EXPECTED, ROME, sales_shop


async def test_report_converts_at_each_day_rate_and_names_what_has_none(core: Core) -> None:
    await sales_shop(core.bus)
    window = report_window("2026-11-20..2026-11-22", NOW, ROME)

    report = await core.views.sales_report(window)

    assert sales_report_view(report) == EXPECTED
    async with SqlUnitOfWork(core.db) as uow:  # the scheduled job's way in: the same figures
        assert sales_report_view(await uow.sales.report(window)) == EXPECTED


async def test_an_empty_period_has_every_day_at_zero(core: Core) -> None:
    window = report_window("2026-02", NOW, ROME)
    view = sales_report_view(await core.views.sales_report(window))
    assert (view["from"], view["to"], view["orders"], view["net_revenue"]) == (
        "2026-02-01", "2026-02-28", 0, "0.00")
    assert len(view["by_day"]) == 28 and view["by_channel"] == view["not_converted"] == []
