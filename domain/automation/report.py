"""daily-report: yesterday's figures to the alerts channel, once per day."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from domain.accounting.periods import ReportWindow
from domain.accounting.sales import sales_lines, sales_report_view
from domain.automation.commands import JobOutcome, SendDailyReport
from domain.automation.delays import DELAY_MARKS
from domain.automation.model import DayFigures
from domain.events import StaffAlertRaised
from domain.messagebus import Context
from domain.ports import UnitOfWork

JOB = "daily-report"


async def send_daily_report(cmd: SendDailyReport, uow: UnitOfWork, ctx: Context
                            ) -> JobOutcome:
    now = ctx.clock.now()
    day = cmd.day or now.astimezone(ZoneInfo(cmd.timezone)).date() - timedelta(days=1)
    if not await uow.scans.claim_run(JOB, day.isoformat(), now):
        return JobOutcome(JOB, skipped=f"the report for {day.isoformat()} was already sent")
    window = ReportWindow(day.isoformat(), day, day, cmd.timezone)
    currency = ctx.config.base_currency
    figures = await uow.scans.day_figures(window.start, window.end, DELAY_MARKS)
    sales = sales_report_view(await uow.sales.report(window))
    text = report_text(day, cmd.timezone, figures, sales)
    data: dict[str, Any] = {
        "day": day.isoformat(), "orders": sales["orders"], "revenue": sales["revenue"],
        "net_revenue": sales["net_revenue"], "margin": sales["margin"], "currency": currency,
        "not_converted": sales["not_converted"], "sales": sales, "shipped": figures.shipped,
        "delivered": figures.delivered, "delayed": figures.delayed,
        "returns": figures.returns, "low_stock": figures.low_stock,
        "low_stock_new": figures.low_stock_new,
        "low_stock_examples": [list(pair) for pair in figures.low_stock_examples],
    }
    ctx.emit(StaffAlertRaised("daily_report", text, data,
                              dedupe_key=f"daily_report:{day.isoformat()}"))
    ctx.audit("report.daily", day.isoformat())
    return JobOutcome(JOB, (text,))


def report_text(day: date, timezone: str, f: DayFigures, sales: dict[str, Any]) -> str:
    """The daily report in words: the sales (`sales_report_view`'s shape, base currency)
    then the day's operations."""
    title = f"Daily report for {day.strftime('%a %d %b %Y')} ({timezone})"
    lines = [*sales_lines(sales), *operation_lines(f)]
    return "\n".join((title, *(f"• {line}" for line in lines)))


def operation_lines(f: DayFigures) -> list[str]:
    """Shipments, deliveries, delays, returns and low stock, one line each (the daily
    report and `/oms report`; the money is in `domain.accounting.sales.sales_lines`)."""
    low = f"Low stock: {f.low_stock} SKU/warehouse pairs at or below their reorder point"
    if f.low_stock:
        low += f", {f.low_stock_new} new in the period"
    if f.low_stock_examples:
        more = ", …" if f.low_stock > len(f.low_stock_examples) else ""
        pairs = ", ".join(f"{sku} at {warehouse}" for sku, warehouse in f.low_stock_examples)
        low += f" ({pairs}{more})"
    return [
        f"Shipped: {f.shipped} · Delivered: {f.delivered}",
        f"Delayed: {f.delayed}",
        f"Returns requested: {f.returns}",
        low,
    ]

