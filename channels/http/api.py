"""The HTTP API of CONTRACT §4: sales channels push orders, carriers push tracking."""

from __future__ import annotations

import json
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from aiohttp import web

from channels.http import fx, reports
from channels.http import schemas as sc
from channels.http.attachments import attachment_handler, public_return
from channels.http.errors import Handler, error, error_middleware, read_json
from channels.http.fulfilment import FulfilmentApi, add_fulfilment_routes
from channels.http.money_api import refund_amount, register_money_routes, shipping_prices
from channels.http.upserts import put_answer
from domain.access import ApiTokenStore
from domain.errors import NotFound, ValidationError
from domain.fulfillment.queries import FulfilmentViews
from domain.inventory import commands as ic
from domain.messagebus import Actor, MessageBus
from domain.money import parse_amount
from domain.orders import commands as oc
from domain.orders.model import STATUSES, format_order_number, parse_order_number
from domain.queries import ReadModel
from domain.returns import commands as rc
from domain.returns.model import RETURN_ACTIONS, RETURN_STATUSES, parse_rma


@dataclass(frozen=True)
class ApiDeps:
    bus: MessageBus
    views: ReadModel
    tokens: ApiTokenStore
    fulfilment: FulfilmentViews | None = None
    timezone: str = "UTC"  # OMSBOT_TIMEZONE: the shop's days (report days, rates' dates)
    staff_locale: str = "en"  # OMSBOT_STAFF_LOCALE: the language of documents (PDF)


DEPS = web.AppKey("api_deps", ApiDeps)
ACTOR = web.RequestKey("api_actor", Actor)


@web.middleware
async def auth_middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
    if getattr(request.match_info.handler, "authenticates_itself", False):
        return await handler(request)  # e.g. a 3PL's call, signed with its own secret
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    name = None
    if scheme.lower() == "bearer" and token.strip():
        name = await request.app[DEPS].tokens.verify(token.strip())
    if name is None:
        response = error(401, "unauthorized", "a valid API token is required "
                         "(Authorization: Bearer <token>)")
        response.headers["WWW-Authenticate"] = 'Bearer realm="omsbot"'
        return response
    request[ACTOR] = Actor(f"api:{name}", "api")
    return await handler(request)


def build_api(deps: ApiDeps) -> web.Application:
    api = web.Application(middlewares=[auth_middleware, error_middleware])
    api[DEPS] = deps
    api.router.add_put("/warehouses/{code}", put_warehouse)
    api.router.add_put("/products/{sku}", put_product)
    api.router.add_put("/shipping-methods/{code}", put_shipping_method)
    api.router.add_post("/inventory/{sku}/receive", receive_stock)
    api.router.add_post("/inventory/{sku}/adjustments", adjust_stock)
    api.router.add_get("/inventory/{sku}", get_inventory)
    api.router.add_post("/orders", post_order)
    api.router.add_get("/orders", list_orders)
    api.router.add_get("/orders/{number}", get_order)
    register_money_routes(api, deps.bus, deps.views, _actor)
    api.router.add_post("/orders/{number}/{action}", order_action)
    api.router.add_post("/tracking", tracking_event)
    api.router.add_get("/customers/{email}", get_customer)
    api.router.add_get("/returns", list_returns)
    api.router.add_post("/returns", post_return)
    api.router.add_get("/returns/{rma}", get_return)
    api.router.add_get("/returns/{rma}/attachments/{attachment_id}",
                       attachment_handler(deps.views))
    add_fulfilment_routes(api, FulfilmentApi(lambda r: _deps(r).bus, _actor,
                                             lambda r: _deps(r).views,
                                             lambda r: _deps(r).fulfilment,
                                             lambda r: (_deps(r).staff_locale,
                                                        _deps(r).timezone)))
    api.router.add_put("/fx-rates/{currency}", put_fx_rate)
    api.router.add_get("/fx-rates", get_fx_rates)
    api.router.add_get("/reports/{period}", get_report)
    api.router.add_post("/returns/{rma}/{action}", return_action)
    return api


def _deps(request: web.Request) -> ApiDeps:
    return request.app[DEPS]


def _actor(request: web.Request) -> Actor:
    return request[ACTOR]


def _order_id(request: web.Request) -> int:
    number = parse_order_number(request.match_info["number"])
    if number is None:
        raise NotFound("Order", request.match_info["number"])
    return number


async def put_warehouse(request: web.Request) -> web.Response:
    body = sc.WarehouseIn.model_validate(await read_json(request))
    code = request.match_info["code"]
    result = await _deps(request).bus.handle(
        ic.UpsertWarehouse(code=code, **body.model_dump()), _actor(request))
    shown = body.model_dump()
    if body.fulfilment is not None:  # the 3PL's secret is written, never read back
        shown["fulfilment"] = {"webhook_url": body.fulfilment.webhook_url, "secret": "***"}
    return put_answer(request, result.created, {"code": code, **shown})


async def put_product(request: web.Request) -> web.Response:
    body = sc.ProductIn.model_validate(await read_json(request))
    fields = body.model_dump()
    fields["price"] = parse_amount(body.price, body.currency, "price")
    if body.cost is not None:
        fields["cost"] = parse_amount(body.cost, body.currency, "cost")
    result = await _deps(request).bus.handle(
        ic.UpsertProduct(sku=request.match_info["sku"], **fields), _actor(request))
    return put_answer(request, result.created, {"sku": result.key, **fields})


async def put_shipping_method(request: web.Request) -> web.Response:
    body = sc.ShippingMethodIn.model_validate(await read_json(request))
    code = request.match_info["code"]
    fields = body.model_dump()
    if body.price is not None and body.currency is not None:
        fields["price"] = parse_amount(body.price, body.currency, "price")
    fields["prices"] = shipping_prices(body.prices or {})
    result = await _deps(request).bus.handle(ic.UpsertShippingMethod(code=code, **fields),
                                             _actor(request))
    prices = dict(fields.pop("prices"))
    if fields["price"] is not None and fields["currency"] is not None:
        prices.setdefault(fields["currency"], fields["price"])
    return put_answer(request, result.created, {"code": code, **fields, "prices": prices})



async def receive_stock(request: web.Request) -> web.Response:
    body = sc.ReceiveIn.model_validate(await read_json(request))
    sku = request.match_info["sku"]
    result = await _deps(request).bus.handle(
        ic.ReceiveStock(sku, body.warehouse, body.quantity), _actor(request))
    return web.json_response({
        "sku": result.sku, "warehouse": result.warehouse, "on_hand": result.on_hand,
        "reserved": result.reserved, "available": result.available,
        "allocated_orders": [format_order_number(i) for i in result.allocated_orders]})


async def adjust_stock(request: web.Request) -> web.Response:
    """Correct a stock count: 201 with the adjustment; 409 `stock_reserved` when it would
    leave fewer units on hand than orders have reserved."""
    body = sc.AdjustmentIn.model_validate(await read_json(request))
    mode, quantity = body.change()
    actor = _actor(request)
    done: ic.StockAdjusted = await _deps(request).bus.handle(ic.AdjustStock(
        request.match_info["sku"], body.warehouse, mode, quantity, body.reason), actor)
    return web.json_response({
        "id": done.adjustment_id, "sku": done.sku, "warehouse": done.warehouse,
        "delta": done.delta, "on_hand": done.on_hand, "reserved": done.reserved,
        "available": done.available, "reason": done.reason, "by": actor.name,
        "allocated_orders": [format_order_number(i) for i in done.allocated_orders]},
        status=201)


async def get_inventory(request: web.Request) -> web.Response:
    views = _deps(request).views
    sku = await views.product_sku(request.match_info["sku"])
    levels = None if sku is None else await views.inventory(sku)
    if sku is None or levels is None:
        raise NotFound("Product", request.match_info["sku"])
    return web.json_response({"sku": sku, "warehouses": levels})  # as created, not as typed


async def post_order(request: web.Request) -> web.Response:
    body = sc.OrderIn.model_validate(await read_json(request))
    key = request.headers.get("Idempotency-Key") or None
    deps = _deps(request)
    actor = _actor(request)
    result = await deps.bus.handle(body.to_command(key, actor.name), actor)
    view = result.view or await deps.views.order(result.order_id)
    return web.json_response(view, status=201 if result.created else 200)


async def get_order(request: web.Request) -> web.Response:
    order_id = _order_id(request)
    view = await _deps(request).views.order(order_id)
    if view is None:
        raise NotFound("Order", format_order_number(order_id))
    return web.json_response(view)


def _int_param(request: web.Request, name: str, default: int | None, high: int) -> int | None:
    raw = request.query.get(name)
    if raw is None or raw == "":
        return default
    if not raw.isdigit() or not 1 <= int(raw) <= high:
        raise ValidationError(name, f"must be a whole number from 1 to {high}")
    return int(raw)


async def list_orders(request: web.Request) -> web.Response:
    status = request.query.get("status") or None
    if status is not None and status not in STATUSES:
        raise ValidationError("status", f"must be one of {', '.join(STATUSES)}")
    limit = _int_param(request, "limit", 50, 200) or 50
    cursor = _int_param(request, "cursor", None, 10**15)
    items, next_cursor = await _deps(request).views.orders(
        status=status, customer=request.query.get("customer") or None, limit=limit,
        cursor=cursor)
    return web.json_response({"orders": items,
                              "next_cursor": str(next_cursor) if next_cursor else None})


async def order_action(request: web.Request) -> web.Response:
    order_id = _order_id(request)
    action = request.match_info["action"]
    data: Any = await read_json(request) if request.can_read_body else {}
    command: object
    match action:
        case "confirm":
            command = oc.ConfirmPayment(order_id)
        case "pick":
            command = oc.StartPicking(order_id)
        case "pack":
            command = oc.MarkPacked(order_id)
        case "deliver":
            command = oc.DeliverOrder(order_id)
        case "hold":
            command = oc.HoldOrder(order_id)
        case "release":
            command = oc.ReleaseOrder(order_id)
        case "cancel":
            command = sc.CancelIn.model_validate(data or {}).to_command(order_id)
        case "ship":
            ship = sc.ShipIn.model_validate(data or {})
            command = oc.ShipOrder(order_id, ship.carrier or "", ship.tracking_number or "",
                                   ship.eta, ship.warehouse)
        case _:
            raise NotFound("Action", action)
    deps = _deps(request)
    await deps.bus.handle(command, _actor(request))
    return web.json_response(await deps.views.order(order_id))


async def tracking_event(request: web.Request) -> web.Response:
    body = sc.TrackingIn.model_validate(await read_json(request))
    deps = _deps(request)
    result = await deps.bus.handle(oc.RecordTrackingEvent(
        body.tracking_number, body.status, body.eta, body.at), _actor(request))
    return web.json_response({"order": result.number, "status": result.status,
                              "changed": result.changed})


async def get_customer(request: web.Request) -> web.Response:
    email = request.match_info["email"]
    view = await _deps(request).views.customer(email)
    if view is None:
        raise NotFound("Customer", email)
    return web.json_response(view)


async def list_returns(request: web.Request) -> web.Response:
    status = request.query.get("status") or None
    if status is not None and status not in RETURN_STATUSES:
        raise ValidationError("status", f"must be one of {', '.join(RETURN_STATUSES)}")
    limit = _int_param(request, "limit", 50, 200) or 50
    found = await _deps(request).views.returns(status=status, limit=limit)
    return web.json_response({"returns": [public_return(view) for view in found]})


async def post_return(request: web.Request) -> web.Response:
    body = sc.ReturnIn.model_validate(await read_json(request))
    order_id = parse_order_number(body.order)
    if order_id is None:
        raise NotFound("Order", body.order)
    lines = tuple(rc.ReturnLineRequest(ln.sku, ln.quantity) for ln in body.lines)
    deps = _deps(request)
    result = await deps.bus.handle(rc.RequestReturn(
        order_id, body.reason, lines, body.exchange, channel="api"), _actor(request))
    return web.json_response(public_return(await deps.views.return_(result.return_id)),
                             status=201)


async def get_return(request: web.Request) -> web.Response:
    return_id = parse_rma(request.match_info["rma"])
    view = await _deps(request).views.return_(return_id) if return_id else None
    if view is None:
        raise NotFound("Return", request.match_info["rma"])
    return web.json_response(public_return(view))


async def put_fx_rate(request: web.Request) -> web.Response:
    deps = _deps(request)
    return await fx.put_fx_rate(request, deps.bus, _actor(request), deps.timezone)


async def get_fx_rates(request: web.Request) -> web.Response:
    deps = _deps(request)
    return await fx.get_fx_rates(deps.views, fx.today_in(deps.bus, deps.timezone))


async def get_report(request: web.Request) -> web.Response:
    deps = _deps(request)
    return await reports.get_report(request.match_info["period"], deps.views, deps.bus,
                                    deps.timezone)
async def return_action(request: web.Request) -> web.Response:
    return_id = parse_rma(request.match_info["rma"])
    action = request.match_info["action"]
    if return_id is None:
        raise NotFound("Return", request.match_info["rma"])
    if action not in RETURN_ACTIONS:
        raise NotFound("Action", action)
    data: Any = await read_json(request) if request.can_read_body else {}
    body = sc.ReturnActionIn.model_validate(data or {})
    deps = _deps(request)
    amount = await refund_amount(body.amount, return_id, deps.views)
    await deps.bus.handle(rc.DecideReturn(return_id, action, body.warehouse, amount),
                          _actor(request))
    return web.json_response(await deps.views.return_(return_id))


def _dumps(value: Any) -> str:
    """JSON with decimals as plain digits (`10`, never `1E+1`)."""
    return json.dumps(value, default=lambda v: format(v, "f") if isinstance(v, Decimal)
                      else str(v))
