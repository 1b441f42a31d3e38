"""A return's files (customers' photos of damage) uploaded into its alert's Slack thread."""

from __future__ import annotations

import logging

import aiohttp
from slack_sdk.errors import SlackClientError
from slack_sdk.web.async_client import AsyncWebClient

from channels.slack.files import SlackFile, upload_file
from domain.queries import ReadModel, View

log = logging.getLogger(__name__)


async def upload_return_files(client: AsyncWebClient, channel: str, thread_ts: str,
                              views: ReadModel, return_id: int, ret: View) -> int:
    """Upload every attachment of return `ret` into the thread of message `thread_ts`;
    returns how many went up. The alert itself is already posted, so a failed upload is
    logged rather than retried (a retry would post the alert twice); the files stay listed
    in the return (`/oms` and the API)."""
    uploaded = 0
    for attachment in ret.get("attachments") or []:
        found = await views.attachment(return_id, int(attachment["id"]))
        if found is None:
            continue
        view, data = found
        file = SlackFile(filename=str(view["name"]), content=data, title=str(view["name"]),
                         alt_text=f"{view['name']}, sent by the customer with {ret['rma']}")
        try:
            await upload_file(client, channel, file, thread_ts=thread_ts)
        except (SlackClientError, aiohttp.ClientError, TimeoutError, ValueError) as problem:
            log.warning("could not upload %s of %s to Slack: %r", view["name"], ret["rma"],
                        problem)
            continue
        uploaded += 1
    return uploaded
