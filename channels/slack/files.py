"""Uploading documents (PDFs, PNG charts, customers' photos) to Slack.

Slack retired `files.upload`; `files_upload_v2` (slack_sdk) is the one upload path: it asks
for an upload URL, sends the bytes there, then shares the file into a channel or a message
thread (docs.slack.dev, "Uploading files").
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from slack_bolt.context.respond.async_respond import AsyncRespond
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from channels.staff_replies import Attachment

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class SlackFile:
    """A file to upload: `content` is the raw bytes, `filename` carries the extension Slack
    uses for its preview (`label-ORD-000123.pdf`, `report-2026-11.png`)."""

    filename: str
    content: bytes
    title: str | None = None
    alt_text: str | None = None


async def upload_file(
    client: AsyncWebClient,
    channel: str,
    file: SlackFile,
    *,
    thread_ts: str | None = None,
    comment: str | None = None,
) -> str:
    """Upload `file` into `channel` (into the thread of message `thread_ts` when given).

    Returns Slack's file id (`F…`). Raises `slack_sdk.errors.SlackApiError` when Slack
    refuses (e.g. `not_in_channel`, `missing_scope` without `files:write`) and `ValueError`
    for an empty file, which Slack would refuse too.
    """
    if not file.content:
        raise ValueError(f"{file.filename} is empty: Slack refuses empty uploads")
    response = await client.files_upload_v2(
        channel=channel,
        filename=file.filename,
        content=file.content,
        title=file.title or file.filename,
        alt_txt=file.alt_text,
        thread_ts=thread_ts,
        initial_comment=comment,
    )
    uploaded = response.get("file") or {}
    return str(uploaded.get("id", ""))


async def share_attachment(client: AsyncWebClient, channel: str, attachment: Attachment,
                           respond: AsyncRespond) -> None:
    """Upload a reply's file (a report chart) into the channel the command came from; when
    Slack refuses (the app is not in the channel, no `files:write`), tell the asker why."""
    try:
        content = await attachment.content()
        await upload_file(client, channel, SlackFile(attachment.filename, content,
                                                     attachment.title, attachment.title))
    except SlackApiError as problem:
        error = problem.response.get("error") if isinstance(problem.response.data, dict) \
            else None
        log.warning("could not upload %s to %s: %s", attachment.filename, channel, error)
        await respond(text=f":warning: The chart could not be uploaded here ({error}); "
                           "invite the app to this channel and allow it files:write.",
                      response_type="ephemeral", replace_original=False)
