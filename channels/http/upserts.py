"""The answer of every PUT upsert (RFC 9110 §9.3.4): `201 Created` with a `Location`
naming the resource when the PUT made it, `200 OK` when it replaced one."""

from __future__ import annotations

import json
from typing import Any

from aiohttp import web


def put_answer(request: web.Request, created: bool, body: Any) -> web.Response:
    """`body` as JSON (values JSON does not know, such as decimals, as strings); 201 with
    `Location: <the request's path>` when `created`, else 200."""
    dumps = lambda value: json.dumps(value, default=str)  # noqa: E731
    if not created:
        return web.json_response(body, dumps=dumps)
    return web.json_response(body, status=201, dumps=dumps,
                             headers={"Location": request.rel_url.raw_path})
