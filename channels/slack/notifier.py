"""Staff alerts to the Slack alerts channel: stored notifications rendered and posted with
chat.postMessage. Order and return alerts carry the same buttons as `/oms` messages."""

from __future__ import annotations

import asyncio
from typing import Any

import aiohttp
from jinja2 import Environment
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from channels.charts.sales import chart_filename, draw_sales_chart
from channels.slack import blocks
from channels.slack.files import SlackFile, upload_file
from channels.slack.return_files import upload_return_files
from channels.staff_render import render_template, report_title
from channels.staff_replies import Subject, order_subject, po_subject, return_subject
from domain.notifications import SLACK, DeliveryFailed, Notification
from domain.orders.model import format_order_number
from domain.queries import ReadModel
from domain.returns.model import format_rma
from domain.staff.model import Role

# Slack errors that retrying cannot fix: the token or the channel must change first.
PERMANENT_ERRORS = frozenset({
    "not_authed", "invalid_auth", "account_inactive", "token_revoked", "token_expired",
    "no_permission", "missing_scope", "channel_not_found", "not_in_channel", "is_archived",
    "restricted_action", "invalid_blocks", "msg_too_long", "invalid_arguments",
})


class SlackNotifier:
    """The `Notifier` of channel "slack": posts to the alerts channel, returns the ts."""

    channel = SLACK

    def __init__(self, client: AsyncWebClient, alerts_channel: str, env: Environment,
                 views: ReadModel | None = None) -> None:
        self.client = client
        self.alerts_channel = alerts_channel
        self.env = env
        self.views = views

    async def send(self, notification: Notification) -> str:
        context, subject = await self._context(notification)
        text = render_template(self.env, "slack", "alert", context)
        if isinstance(sales := notification.payload.get("sales"), dict):
            return await self._send_with_chart(text, sales)
        message = blocks.message(text, subject)
        try:
            response = await self.client.chat_postMessage(
                channel=self.alerts_channel, text=message["text"], blocks=message["blocks"],
                unfurl_links=False, unfurl_media=False)
        except SlackApiError as problem:
            raise delivery_failure(problem) from problem
        except (aiohttp.ClientError, TimeoutError) as problem:
            raise DeliveryFailed(f"Slack unreachable: {problem!r}") from problem
        ts = str(response["ts"])
        ret, return_id = context.get("ret"), notification.payload.get("return_id")
        if notification.kind == "return_requested" and ret and isinstance(return_id, int) \
                and self.views is not None:
            await upload_return_files(self.client, self.alerts_channel, ts, self.views,
                                      return_id, ret)
        return ts

    async def _send_with_chart(self, text: str, sales: dict[str, Any]) -> str:
        """The daily report: its sales chart uploaded with the text as its comment (one
        message; a retry after a failure never posts the text twice). Returns the file id."""
        title = report_title(self.env, sales)
        locale = str(self.env.globals.get("staff_locale") or "en")
        png = await asyncio.to_thread(draw_sales_chart, sales, title, locale)
        chart = SlackFile(chart_filename(sales), png, title, title)
        try:
            return await upload_file(self.client, self.alerts_channel, chart, comment=text)
        except SlackApiError as problem:
            raise delivery_failure(problem) from problem
        except (aiohttp.ClientError, TimeoutError) as problem:
            raise DeliveryFailed(f"Slack unreachable: {problem!r}") from problem

    async def _context(self, n: Notification) -> tuple[dict[str, Any], Subject | None]:
        payload = n.payload
        context: dict[str, Any] = {"kind": n.kind, "payload": payload, "order": None,
                                   "ret": None, "number": None, "rma": None, "po": None}
        subject: Subject | None = None
        if isinstance(order_id := payload.get("order_id"), int):
            context["number"] = format_order_number(order_id)
            if self.views is not None and (order := await self.views.order(order_id)):
                context["order"] = order
                subject = order_subject(order, Role.OPERATOR)
        if isinstance(return_id := payload.get("return_id"), int):
            context["rma"] = format_rma(return_id)
            if self.views is not None and (ret := await self.views.return_(return_id)):
                context["ret"] = ret
                subject = return_subject(ret, Role.OPERATOR)
        po_id = payload.get("purchase_order_id")
        if isinstance(po_id, int) and self.views is not None and (
                po := await self.views.purchase_order(po_id)):
            context["po"] = po
            subject = po_subject(po, Role.OPERATOR)
        return context, subject


def delivery_failure(problem: SlackApiError) -> DeliveryFailed:
    """429 → retry after Slack's Retry-After; token and channel errors → permanent."""
    response = problem.response
    error = str(response.get("error") or "") if isinstance(response.data, dict) else ""
    if response.status_code == 429:
        retry_after = response.headers.get("Retry-After") or response.headers.get("retry-after")
        seconds = float(retry_after) if retry_after and str(retry_after).isdigit() else 30.0
        return DeliveryFailed("Slack rate limit", retry_after=seconds)
    reason = f"Slack answered {response.status_code}: {error or 'no error code'}"
    return DeliveryFailed(reason, permanent=error in PERMANENT_ERRORS)
