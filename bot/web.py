"""The one aiohttp server: API, health, metrics (and Slack and Telegram when configured)."""

from __future__ import annotations

import time

from aiohttp import web
from aiohttp.typedefs import Middleware
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Histogram
from prometheus_client.exposition import generate_latest

from bot.core import Core
from bot.lifecycle import Lifecycle, Phase, configured_components
from bot.web_pages import LIFECYCLE, json_not_found, package_version, request_ids, root_page
from channels.http.api import ApiDeps, build_api
from channels.http.errors import Handler
from channels.http.openapi import API_PREFIX, OPENAPI_PATH, openapi_handler
from storage.fulfilment_views import SqlFulfilmentViews

CORE = web.AppKey("core", Core)
METRICS = web.AppKey("metrics", CollectorRegistry)


def build_web_app(core: Core, lifecycle: Lifecycle | None = None) -> web.Application:
    """The server's routes. Without a `lifecycle` (tests, benches) it is ready at once."""
    if lifecycle is None:
        s = core.settings
        lifecycle = Lifecycle(configured_components(
            bool(s.telegram_token), bool(s.slack_bot_token), bool(s.smtp_url)))
        lifecycle.phase, lifecycle.not_ready_reason = Phase.READY, None
    registry = CollectorRegistry()
    app = web.Application(middlewares=[request_ids, json_not_found, _measure(registry)],
                          client_max_size=2 * 1024 * 1024)
    app[CORE] = core
    app[METRICS] = registry
    app[LIFECYCLE] = lifecycle
    app.router.add_get("/", root_page)
    app.router.add_get("/healthz", healthz)
    app.router.add_get("/readyz", readyz)
    app.router.add_get("/metrics", metrics)
    api = build_api(ApiDeps(core.bus, core.views, core.tokens,
                            fulfilment=SqlFulfilmentViews(core.db),
                            timezone=core.settings.timezone,
                            staff_locale=core.settings.staff_locale))
    app.router.add_get(OPENAPI_PATH, openapi_handler(app, version=package_version()))
    app.add_subapp(API_PREFIX, api)
    if core.settings.slack_bot_token and not core.settings.slack_app_token:
        # Lazy for start-up cost alone: slack_bolt takes about a second to import.
        from bot.slack import mount_slack

        mount_slack(app, core)
    return app


def _measure(registry: CollectorRegistry) -> Middleware:
    requests = Counter("omsbot_http_requests_total", "HTTP requests",
                       ["method", "route", "status"], registry=registry)
    latency = Histogram("omsbot_http_request_seconds", "HTTP request latency",
                        ["route"], registry=registry)

    @web.middleware
    async def measure(request: web.Request, handler: Handler) -> web.StreamResponse:
        started = time.perf_counter()
        route = request.match_info.route.resource
        name = route.canonical if route is not None else "unmatched"
        status = 500
        try:
            response = await handler(request)
            status = response.status
            return response
        except web.HTTPException as exc:
            status = exc.status
            raise
        finally:
            requests.labels(request.method, name, str(status)).inc()
            latency.labels(name).observe(time.perf_counter() - started)

    return measure


async def healthz(request: web.Request) -> web.Response:
    """200 while the database answers, with each outside component's state; else 503."""
    try:
        ok = await request.app[CORE].views.healthy()
    except Exception:  # a health check reports, it never raises
        ok = False
    components = {"database": "ok" if ok else "unavailable",
                  **request.app[LIFECYCLE].health.components}
    return web.json_response({"status": "ok" if ok else "unavailable",
                              "components": components}, status=200 if ok else 503)


async def readyz(request: web.Request) -> web.Response:
    """200 once start-up is done and the schema is at the newest migration; 503 before,
    and while stopping."""
    lifecycle = request.app[LIFECYCLE]
    if lifecycle.ready:
        return web.json_response({"status": "ready"})
    reason = "stopping" if lifecycle.phase is Phase.STOPPING else lifecycle.not_ready_reason
    return web.json_response({"status": "not_ready", "reason": reason}, status=503)


async def metrics(request: web.Request) -> web.Response:
    body = generate_latest(request.app[METRICS])
    return web.Response(body=body, headers={"Content-Type": CONTENT_TYPE_LATEST})
