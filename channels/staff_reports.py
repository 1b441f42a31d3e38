"""The staff service's reports: `report` (text and a PNG chart) and `top` (customers or
products, most valuable first). Money is in the base currency at each order day's rate."""

from __future__ import annotations

from datetime import datetime, timedelta
from functools import partial

from channels import staff_requests as sr
from channels.charts.sales import chart_filename, draw_sales_chart
from channels.staff_render import DEFAULT_STAFF_LOCALE, report_title, staff_environment
from channels.staff_replies import Attachment, Reply
from domain.accounting.periods import report_window
from domain.accounting.sales import sales_lines, sales_report_view
from domain.automation.report import operation_lines
from domain.queries import ReadModel


async def report_reply(views: ReadModel, period: str, now: datetime, timezone: str,
                       locale: str = DEFAULT_STAFF_LOCALE) -> Reply:
    """`report today|week|month`: the sales figures and the day's operations in words, and
    the sales chart as a PNG attachment, titled and labelled in `locale` (the staff's).
    `now`: aware UTC; days are in `timezone`."""
    window = report_window(period, now, timezone)
    sales = sales_report_view(await views.sales_report(window))
    figures = await views.figures(window.start, window.end)
    title = report_title(staff_environment(locale), sales)
    chart = Attachment(chart_filename(sales), title,
                       partial(draw_sales_chart, sales, title, locale))
    lines = [*sales_lines(sales), *operation_lines(figures)]
    return Reply("report", {"title": window.title, "lines": lines, "sales": sales,
                            "ops": figures}, attachment=chart)  # ops: for other languages




TOP_PRODUCTS_PERIOD = timedelta(days=30)


async def top_reply(views: ReadModel, request: sr.TopCustomers | sr.TopProducts,
                    now: datetime) -> Reply:
    """`top [N] [revenue|profit]`: customers by lifetime worth; `top products [N]
    [revenue|profit|units]`: products over the 30 days before `now` (aware UTC)."""
    if isinstance(request, sr.TopCustomers):
        people = await views.top_customers(request.n, request.by)
        return Reply("top_customers", {"items": people, "by": request.by})
    items = await views.top_products(now - TOP_PRODUCTS_PERIOD, request.n, request.by)
    return Reply("top", {"items": items, "days": TOP_PRODUCTS_PERIOD.days, "by": request.by})
