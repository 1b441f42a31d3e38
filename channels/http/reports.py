"""`GET /api/v1/reports/{period}` (CONTRACT §9): the sales report as JSON."""

from __future__ import annotations

from aiohttp import web

from domain.accounting.periods import report_window
from domain.accounting.sales import sales_report_view
from domain.messagebus import MessageBus
from domain.queries import ReadModel


async def get_report(period: str, views: ReadModel, bus: MessageBus,
                     timezone: str) -> web.Response:
    """`today`, `week`, `month`, `YYYY-MM` or `YYYY-MM-DD..YYYY-MM-DD` (days in `timezone`)
    → the sales report in the base currency; 422 naming `period` for anything else."""
    window = report_window(period, bus.clock.now(), timezone)
    return web.json_response(sales_report_view(await views.sales_report(window)))
