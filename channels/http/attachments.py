"""Return attachments over the API: listed in return views, served with the API token.

`GET /api/v1/returns/{rma}/attachments/{id}` answers the file's bytes with its content type,
`X-Content-Type-Options: nosniff` and a download name built from its label (RFC 6266), so a
customer's file is never rendered as a page of ours.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from urllib.parse import quote

from aiohttp import web

from domain.errors import NotFound
from domain.queries import ReadModel, View
from domain.returns.model import parse_rma


def public_return(view: View | None) -> View | None:
    """A return view as the API shows it: attachments without their path on our disk."""
    if view is None:
        return None
    files = [{k: v for k, v in a.items() if k != "path"} for a in view.get("attachments", [])]
    return {**view, "attachments": files}


def _download_name(label: str) -> str:
    ascii_name = "".join(ch if ch.isascii() and ch.isprintable() and ch not in '"\\;'
                         else "_" for ch in label)
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(label, safe='')}"


def attachment_handler(views: ReadModel
                       ) -> Callable[[web.Request], Awaitable[web.StreamResponse]]:
    """The aiohttp handler of one attachment (404 for another return's or an unknown id)."""

    async def get_attachment(request: web.Request) -> web.StreamResponse:
        rma, raw_id = request.match_info["rma"], request.match_info["attachment_id"]
        return_id = parse_rma(rma)
        found = (await views.attachment(return_id, int(raw_id))
                 if return_id and raw_id.isdigit() and len(raw_id) < 19 else None)
        if found is None:
            raise NotFound("Attachment", f"{rma}/{raw_id}")
        view, data = found
        return web.Response(body=data, content_type=str(view["content_type"]), headers={
            "Content-Disposition": _download_name(str(view["name"])),
            "X-Content-Type-Options": "nosniff",
            "Content-Security-Policy": "default-src 'none'; sandbox",
            "Cache-Control": "private, max-age=3600",
        })

    return get_attachment
