"""The server's front door: `GET /` for people and programs, JSON 404s, request ids."""

from __future__ import annotations

import html
import re
import uuid
from importlib.metadata import PackageNotFoundError, version

from aiohttp import web

from bot.lifecycle import Lifecycle
from bot.logs import REQUEST_ID
from channels.http.errors import Handler, error
from channels.http.openapi import OPENAPI_PATH

LIFECYCLE = web.AppKey("lifecycle", Lifecycle)
REQUEST_ID_HEADER = "X-Request-Id"
_GIVEN_ID = re.compile(r"^[A-Za-z0-9._:-]{1,64}$")
LINKS = {"docs": OPENAPI_PATH, "health": "/healthz", "ready": "/readyz", "metrics": "/metrics"}


@web.middleware
async def request_ids(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Every request gets an id (the caller's X-Request-Id when it is sane), named in each
    log line it causes and echoed in the response."""
    given = request.headers.get(REQUEST_ID_HEADER, "")
    request_id = given if _GIVEN_ID.match(given) else uuid.uuid4().hex[:16]
    token = REQUEST_ID.set(request_id)
    try:
        response = await handler(request)
    except web.HTTPException as exc:
        exc.headers[REQUEST_ID_HEADER] = request_id
        raise
    finally:
        REQUEST_ID.reset(token)
    response.headers[REQUEST_ID_HEADER] = request_id
    return response


@web.middleware
async def json_not_found(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Unknown paths and methods answer JSON, like the rest of the server."""
    try:
        return await handler(request)
    except web.HTTPNotFound:
        return error(404, "not_found", f"no such path: {request.path}")
    except web.HTTPMethodNotAllowed as exc:
        response = error(405, "method_not_allowed",
                         f"{request.method} is not allowed on {request.path}")
        response.headers["Allow"] = ", ".join(sorted(exc.allowed_methods))
        return response


def package_version() -> str:
    try:
        return version("omsbot")
    except PackageNotFoundError:
        return "unknown"


async def root_page(request: web.Request) -> web.Response:
    """What this server is: HTML for a browser, JSON for everyone else."""
    release = package_version()
    if "text/html" in request.headers.get("Accept", ""):
        items = "".join(f'<li><a href="{html.escape(url)}">{html.escape(name)}</a>: '
                        f"<code>{html.escape(url)}</code></li>" for name, url in LINKS.items())
        page = (f"<!doctype html><html lang=en><meta charset=utf-8><title>omsbot</title>"
                f"<h1>omsbot {html.escape(release)}</h1><p>The order management system's "
                f"server. The HTTP API is under <code>/api/v1</code> (Bearer token: "
                f"<code>omsbot apikey create NAME</code>).</p><ul>{items}</ul></html>")
        return web.Response(text=page, content_type="text/html")
    return web.json_response({"name": "omsbot", "version": release, "api": "/api/v1",
                              **LINKS})
