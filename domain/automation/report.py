"""daily-report: yesterday's figures to the alerts channel, once per day."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from domain.automation.commands import JobOutcome, SendDailyReport
from domain.automation.delays import DELAY_MARKS
from domain.automation.model import DayFigures
from domain.events import StaffAlertRaised
from domain.messagebus import Context
from domain.money import quantize
from domain.ports import UnitOfWork

JOB = "daily-report"


async def send_daily_report(cmd: SendDailyReport, uow: UnitOfWork, ctx: Context
                            ) -> JobOutcome:
    zone = ZoneInfo(cmd.timezone)
    now = ctx.clock.now()
    day = cmd.day or now.astimezone(zone).date() - timedelta(days=1)
    if not await uow.scans.claim_run(JOB, day.isoformat(), now):
        return JobOutcome(JOB, skipped=f"the report for {day.isoformat()} was already sent")
    start = datetime.combine(day, time(0), zone).astimezone(UTC)
    end = datetime.combine(day + timedelta(days=1), time(0), zone).astimezone(UTC)
    currency = ctx.config.base_currency
    figures = await uow.scans.day_figures(start, end, currency, DELAY_MARKS)
    text = report_text(day, cmd.timezone, figures, currency)
    data: dict[str, Any] = {
        "day": day.isoformat(), "orders": figures.orders,
        "revenue": str(quantize(figures.revenue, currency)), "currency": currency,
        "other_currency_orders": figures.other_currency_orders, "shipped": figures.shipped,
        "delivered": figures.delivered, "delayed": figures.delayed,
        "returns": figures.returns, "low_stock": figures.low_stock,
        "low_stock_new": figures.low_stock_new,
    }
    ctx.emit(StaffAlertRaised("daily_report", text, data,
                              dedupe_key=f"daily_report:{day.isoformat()}"))
    ctx.audit("report.daily", day.isoformat())
    return JobOutcome(JOB, (text,))


def report_text(day: date, timezone: str, f: DayFigures, currency: str) -> str:
    title = f"Daily report for {day.strftime('%a %d %b %Y')} ({timezone})"
    return "\n".join((title, *(f"• {line}" for line in figure_lines(f, currency))))


def figure_lines(f: DayFigures, currency: str) -> list[str]:
    """The report's figures in words, one line each (the daily report and `/oms report`)."""
    revenue = f"{quantize(f.revenue, currency):,} {currency}"
    others = (f" (plus {f.other_currency_orders} in other currencies, not converted)"
              if f.other_currency_orders else "")
    low = f"Low stock: {f.low_stock} SKU/warehouse pairs at or below their reorder point"
    if f.low_stock:
        low += f", {f.low_stock_new} new in the period"
    if f.low_stock_examples:
        more = ", …" if f.low_stock > len(f.low_stock_examples) else ""
        low += f" ({', '.join(f.low_stock_examples)}{more})"
    return [
        f"Orders: {f.orders}, revenue {revenue}{others}",
        f"Shipped: {f.shipped} · Delivered: {f.delivered}",
        f"Delayed: {f.delayed}",
        f"Returns requested: {f.returns}",
        low,
    ]


def period_bounds(period: str, now: datetime, timezone: str) -> tuple[datetime, datetime, str]:
    """[start, end) of `today` (the local calendar day), `week` (the last 7 days, today
    included) or `month` (the last 30 days), and a title for it."""
    zone = ZoneInfo(timezone)
    today = now.astimezone(zone).date()
    days = {"today": 1, "week": 7, "month": 30}[period]
    first = today - timedelta(days=days - 1)
    start = datetime.combine(first, time(0), zone).astimezone(UTC)
    end = datetime.combine(today + timedelta(days=1), time(0), zone).astimezone(UTC)
    label = {"today": f"Today, {today.strftime('%a %d %b %Y')}",
             "week": f"Last 7 days, {first.strftime('%d %b')} – {today.strftime('%d %b %Y')}",
             "month": f"Last 30 days, {first.strftime('%d %b')} – "
                      f"{today.strftime('%d %b %Y')}"}[period]
    return start, end, f"{label} ({timezone})"
