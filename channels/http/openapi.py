"""`GET /api/v1/openapi.json`: an OpenAPI 3.1 document generated from the routes the server
has and the pydantic request schemas their handlers validate with.

Nothing here lists endpoints: the document walks the application's route table (sub-apps
included), so a route added anywhere appears. A handler's request body is each pydantic
model its code refers to (`sc.OrderIn.model_validate(…)`), found through the names the
handler's code object uses; several (one per action) become `oneOf`.
"""

from __future__ import annotations

import json
import re
import types
from collections.abc import Callable, Iterator
from typing import Any

from aiohttp import web
from pydantic import BaseModel

from channels.http.errors import Handler

API_PREFIX = "/api/v1"
OPENAPI_PATH = f"{API_PREFIX}/openapi.json"
_PARAM = re.compile(r"{([^}:]+)(?::[^}]*)?}")
_SKIPPED_METHODS = frozenset({"HEAD", "OPTIONS", "*"})


def routes(app: web.Application) -> Iterator[tuple[str, str, Callable[..., Any]]]:
    """(method, path, handler) of every route of `app` and of its sub-apps, in order."""
    for resource in app.router.resources():
        sub = resource.get_info().get("app")
        if isinstance(sub, web.Application):
            yield from routes(sub)
            continue
        for route in resource:
            if route.method not in _SKIPPED_METHODS:
                yield route.method, resource.canonical, route.handler


def request_models(handler: Callable[..., Any]) -> list[type[BaseModel]]:
    """The pydantic models `handler`'s code names, directly or as `module.Model`."""
    code = getattr(handler, "__code__", None)
    scope = getattr(handler, "__globals__", {})
    if code is None:
        return []
    found: list[type[BaseModel]] = []
    names = code.co_names
    for name in names:
        value = scope.get(name)
        candidates = [getattr(value, other, None) for other in names] \
            if isinstance(value, types.ModuleType) else [value]
        for candidate in candidates:
            if isinstance(candidate, type) and issubclass(candidate, BaseModel) \
                    and candidate not in found:
                found.append(candidate)
    return found


def _operation(method: str, path: str, handler: Callable[..., Any],
               schemas: dict[str, Any]) -> dict[str, Any]:
    doc = (handler.__doc__ or "").strip()
    operation: dict[str, Any] = {
        "operationId": f"{handler.__name__}_{method.lower()}",
        "summary": doc.splitlines()[0] if doc else handler.__name__.replace("_", " "),
        "responses": {"200": {"description": "OK (JSON)"},
                      "default": {"description": 'An error: {"error": code, "message": …}'}},
    }
    parameters = [{"name": name, "in": "path", "required": True, "schema": {"type": "string"}}
                  for name in _PARAM.findall(path)]
    if parameters:
        operation["parameters"] = parameters
    if method == "PUT":  # every PUT is an upsert (channels/http/upserts.py)
        operation["responses"]["200"] = {"description": "Replaced (JSON)"}
        operation["responses"]["201"] = {
            "description": "Created (JSON)", "headers": {"Location": {
                "description": "the path of the resource made", "schema": {"type": "string"}}}}
    models = request_models(handler)
    for model in models:
        schema = model.model_json_schema(ref_template="#/components/schemas/{model}")
        schemas.update(schema.pop("$defs", {}))
        schemas[model.__name__] = schema
    if models and method in ("POST", "PUT", "PATCH"):
        refs = [{"$ref": f"#/components/schemas/{m.__name__}"} for m in models]
        operation["requestBody"] = {"required": len(models) == 1, "content": {
            "application/json": {"schema": refs[0] if len(refs) == 1 else {"oneOf": refs}}}}
    if path.startswith(API_PREFIX + "/"):
        operation["security"] = [{"bearer": []}]
    return operation


def openapi_document(app: web.Application, *, title: str = "omsbot",
                     version: str = "0") -> dict[str, Any]:
    """The OpenAPI 3.1 document of every route of `app` (shape: OpenAPI's own)."""
    paths: dict[str, dict[str, Any]] = {}
    schemas: dict[str, Any] = {}
    for method, path, handler in routes(app):
        paths.setdefault(_PARAM.sub(r"{\1}", path), {})[method.lower()] = _operation(
            method, path, handler, schemas)
    return {
        "openapi": "3.1.0",
        "info": {"title": title, "version": version},
        "paths": paths,
        "components": {"schemas": schemas, "securitySchemes": {
            "bearer": {"type": "http", "scheme": "bearer"}}},
    }


def openapi_handler(app: web.Application, *, version: str) -> Handler:
    """A handler serving `app`'s document, built on first use (when every route is in)."""
    cached: list[str] = []

    async def openapi_json(request: web.Request) -> web.Response:
        """This document (OpenAPI 3.1)."""
        if not cached:
            cached.append(json.dumps(openapi_document(app, version=version)))
        return web.Response(text=cached[0], content_type="application/json")

    return openapi_json
