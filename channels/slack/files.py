"""Uploading documents (PDFs, PNG charts, customers' photos) to Slack.

Slack retired `files.upload`; `files_upload_v2` (slack_sdk) is the one upload path: it asks
for an upload URL, sends the bytes there, then shares the file into a channel or a message
thread (docs.slack.dev, "Uploading files").
"""

from __future__ import annotations

from dataclasses import dataclass

from slack_sdk.web.async_client import AsyncWebClient


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
