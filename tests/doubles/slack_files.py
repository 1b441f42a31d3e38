"""The files_upload_v2 flow of the Slack Web API, for the Slack double.

slack_sdk's `files_upload_v2` makes three calls (docs.slack.dev, "Uploading files"):
1. `files.getUploadURLExternal` {filename, length, alt_txt?, snippet_type?} ->
   {upload_url, file_id};
2. a POST of the raw bytes to `upload_url` (Slack answers 200 "OK - <length>");
3. `files.completeUploadExternal` {files: JSON [{id, title?}], channel_id?, thread_ts?,
   initial_comment?} -> {files: [file objects]}.
As Slack does, step 3 refuses ids it never issued or whose bytes never arrived, a
`thread_ts` without a channel, and step 2 refuses a body whose length differs from the one
announced in step 1.
"""

from __future__ import annotations

import json
import mimetypes
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

JSON = dict[str, Any]


class FileApiError(Exception):
    def __init__(self, error: str) -> None:
        super().__init__(error)
        self.error = error


@dataclass
class UploadedFile:
    """One file as the double keeps it: what was announced, sent and shared."""

    id: str
    filename: str
    length: int
    alt_txt: str | None = None
    content: bytes | None = None
    title: str | None = None
    channel: str | None = None
    thread_ts: str | None = None
    initial_comment: str | None = None
    completed: bool = False
    shares: list[str] = field(default_factory=list)

    @property
    def mimetype(self) -> str:
        return mimetypes.guess_type(self.filename)[0] or "application/octet-stream"

    def as_json(self) -> JSON:
        return {
            "id": self.id, "name": self.filename, "title": self.title or self.filename,
            "mimetype": self.mimetype, "filetype": self.filename.rsplit(".", 1)[-1].lower(),
            "size": self.length, "is_external": False, "channels": list(self.shares),
        }


class FileUploads:
    """State and handlers of the upload flow; `root` is the double's base URL."""

    def __init__(self) -> None:
        self.files: dict[str, UploadedFile] = {}
        self._next = 0

    def get_upload_url(self, params: JSON, root: str) -> JSON:
        filename = str(params.get("filename") or "")
        length = str(params.get("length") or "")
        if not filename or not length.isdigit() or int(length) <= 0:
            raise FileApiError("invalid_arguments")
        self._next += 1
        file_id = f"F{self._next:07d}"
        self.files[file_id] = UploadedFile(
            file_id, filename, int(length), alt_txt=params.get("alt_txt") or None
        )
        return {"upload_url": f"{root}/upload/v1/{file_id}", "file_id": file_id}

    async def receive(self, request: web.Request) -> web.Response:
        upload = self.files.get(request.match_info["file_id"])
        if upload is None or upload.completed:
            return web.Response(status=404, text="file not found")
        body = await request.read()
        if len(body) != upload.length:
            return web.Response(status=400, text=f"length {len(body)} != {upload.length}")
        upload.content = body
        return web.Response(text=f"OK - {len(body)}")

    def complete(self, params: JSON) -> JSON:
        try:
            items = json.loads(str(params.get("files") or ""))
        except ValueError as bad:
            raise FileApiError("invalid_arguments") from bad
        if not isinstance(items, list) or not items:
            raise FileApiError("invalid_arguments")
        channel = params.get("channel_id") or None
        thread_ts = params.get("thread_ts") or None
        if thread_ts and not channel:
            raise FileApiError("invalid_arguments")
        done = [self._complete_one(item, channel, thread_ts, params) for item in items]
        return {"files": [f.as_json() for f in done]}

    def _complete_one(
        self, item: Any, channel: str | None, thread_ts: str | None, params: JSON
    ) -> UploadedFile:
        upload = self.files.get(str(item.get("id"))) if isinstance(item, dict) else None
        if upload is None or upload.completed:
            raise FileApiError("file_not_found")
        if upload.content is None:
            raise FileApiError("file_upload_not_complete")
        upload.completed = True
        upload.title = item.get("title") or upload.filename
        upload.channel, upload.thread_ts = channel, thread_ts
        upload.initial_comment = params.get("initial_comment") or None
        if channel:
            upload.shares.append(channel)
        return upload

    def shared(self, channel: str | None = None) -> list[UploadedFile]:
        """Completed uploads (shared into `channel` when given), oldest first."""
        return [f for f in self.files.values()
                if f.completed and (channel is None or channel in f.shares)]
