"""The one aiohttp server: API, health, metrics (and Slack and Telegram when configured)."""

from __future__ import annotations

import time

from aiohttp import web
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Histogram
from prometheus_client.exposition import generate_latest

from bot.bootstrap import Core
from bot.slack import mount_slack
from channels.http.api import ApiDeps, build_api
from channels.http.errors import Handler
from storage.fulfilment_views import SqlFulfilmentViews

CORE = web.AppKey("core", Core)
METRICS = web.AppKey("metrics", CollectorRegistry)


def build_web_app(core: Core) -> web.Application:
    registry = CollectorRegistry()
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

    app = web.Application(middlewares=[measure], client_max_size=2 * 1024 * 1024)
    app[CORE] = core
    app[METRICS] = registry
    app.router.add_get("/healthz", healthz)
    app.router.add_get("/metrics", metrics)
    app.add_subapp("/api/v1", build_api(ApiDeps(
        core.bus, core.views, core.tokens, fulfilment=SqlFulfilmentViews(core.db),
        timezone=core.settings.timezone)))
    mount_slack(app, core)
    return app


async def healthz(request: web.Request) -> web.Response:
    try:
        ok = await request.app[CORE].views.healthy()
    except Exception:  # a health check reports, it never raises
        ok = False
    if ok:
        return web.json_response({"status": "ok"})
    return web.json_response({"status": "unavailable"}, status=503)


async def metrics(request: web.Request) -> web.Response:
    body = generate_latest(request.app[METRICS])
    return web.Response(body=body, headers={"Content-Type": CONTENT_TYPE_LATEST})
