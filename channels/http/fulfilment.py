"""Fulfilment endpoints of CONTRACT §10: carriers, boxes, bins (and, with documents, the
label, packing slip and pick list PDFs)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass
from typing import Any

from aiohttp import web

from channels.documents.lazy import label_pdf, picklist_pdf, slip_pdf
from channels.http import fulfilment_schemas as fs
from channels.http.errors import error, json_body, read_json
from channels.http.upserts import put_answer
from domain.errors import WAREHOUSE, DomainError, NotFound, ValidationError
from domain.fulfillment import commands as fc
from domain.fulfillment.picking import BATCH_SIZE, STRATEGIES, build_pick_lists
from domain.fulfillment.queries import FulfilmentViews
from domain.fulfillment.thirdparty import SIGNATURE_HEADER, ConfirmFulfilment, verify
from domain.messagebus import Actor, MessageBus
from domain.orders.model import format_order_number, parse_order_number
from domain.queries import ReadModel


@dataclass(frozen=True)
class FulfilmentApi:
    """How the routes reach the API's dependencies for a request."""

    bus_of: Callable[[web.Request], MessageBus]
    actor_of: Callable[[web.Request], Actor]
    views_of: Callable[[web.Request], ReadModel]
    fulfilment_of: Callable[[web.Request], FulfilmentViews | None]
    place_of: Callable[[web.Request], tuple[str, str]] = lambda _: ("en", "UTC")
    """The language and time zone documents are printed in (the staff's)."""


def add_fulfilment_routes(api: web.Application, deps: FulfilmentApi) -> None:
    """Register the routes of CONTRACT §10 on the API app."""
    routes = _Routes(deps)
    api.router.add_put("/carriers/{code}", routes.put_carrier)
    api.router.add_put("/warehouses/{code}/boxes/{name}", routes.put_box)
    api.router.add_put("/inventory/{sku}/bins", routes.put_bin)
    api.router.add_get("/orders/{number}/packing-slip.pdf", routes.packing_slip)
    api.router.add_get("/shipments/{id}/label.pdf", routes.label)
    api.router.add_get("/picklists/{method}.pdf", routes.picklist)
    api.router.add_post("/fulfilments/{id}/shipments", routes.third_party_shipment)


def _pdf(content: bytes, filename: str) -> web.Response:
    return web.Response(body=content, content_type="application/pdf", headers={
        "Content-Disposition": f'inline; filename="{filename}"'})


class _Routes:
    def __init__(self, deps: FulfilmentApi) -> None:
        self.deps = deps
        self.bus_of = deps.bus_of
        self.actor_of = deps.actor_of

    def _views(self, request: web.Request) -> FulfilmentViews:
        views = self.deps.fulfilment_of(request)
        if views is None:
            raise DomainError("documents are not available on this server")
        return views

    async def third_party_shipment(self, request: web.Request) -> web.Response:
        """A 3PL confirms a parcel left. Signed with the warehouse's secret, not a token:
        unsigned or wrongly signed calls are 401 and change nothing."""
        raw = request.match_info["id"]
        body = await request.read()
        endpoint = (await self._views(request).third_party_of_shipment(int(raw))
                    if raw.isdigit() and len(raw) < 16 else None)
        if endpoint is None or not verify(endpoint["secret"], body,
                                          request.headers.get(SIGNATURE_HEADER)):
            return error(401, "unauthorized", f"sign the body with the warehouse's secret "
                         f"(HMAC-SHA256 in {SIGNATURE_HEADER}: sha256=<hex>)")
        data = fs.ThirdPartyShipmentIn.model_validate(json_body(body))
        result: Any = await self.bus_of(request).handle(ConfirmFulfilment(
            int(raw), data.carrier, data.tracking_number, data.eta,
            tuple((ln.sku, ln.quantity) for ln in data.lines)),
            Actor(f"3pl:{raw}", "3pl"))
        return web.json_response({"fulfilment": int(raw), "order": result.number,
                                  "status": result.status, "changed": result.changed})

    third_party_shipment.authenticates_itself = True  # type: ignore[attr-defined]

    async def packing_slip(self, request: web.Request) -> web.Response:
        order_id = parse_order_number(request.match_info["number"])
        slips = await self._views(request).slip(order_id) if order_id else None
        if order_id is None or slips is None:
            raise NotFound("Order", request.match_info["number"])
        if not slips:
            raise DomainError(f"Order {format_order_number(order_id)} has nothing to pack")
        return _pdf(slip_pdf(slips, *self.deps.place_of(request)),
                    f"packing-slip-{format_order_number(order_id)}.pdf")

    async def label(self, request: web.Request) -> web.Response:
        raw = request.match_info["id"]
        label = await self._views(request).label(int(raw)) if raw.isdigit() and \
            len(raw) < 16 else None
        if label is None:
            raise NotFound("Shipping label", raw)
        return _pdf(label_pdf([label], *self.deps.place_of(request)),
                    f"label-{label.tracking_number}.pdf")

    async def picklist(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        if method not in STRATEGIES:
            raise ValidationError("method", f"must be one of {', '.join(STRATEGIES)}")
        size = request.query.get("batch_size", str(BATCH_SIZE))
        if not size.isdigit() or not 1 <= int(size) <= 10_000:
            raise ValidationError("batch_size", "must be a whole number from 1 to 10000")
        warehouse = request.query.get("warehouse") or None
        if warehouse is not None and not await self._views(request).has_warehouse(warehouse):
            raise NotFound(WAREHOUSE, warehouse)
        rows = await self.deps.views_of(request).pick_rows(warehouse, limit=50_000)
        lists = build_pick_lists(rows, method, int(size))
        made = self.bus_of(request).clock.now()
        return _pdf(picklist_pdf(lists, method, warehouse, made, *self.deps.place_of(request)),
                    f"picklist-{method}.pdf")

    async def _handle(self, request: web.Request, command: object) -> Any:
        bus: MessageBus = self.bus_of(request)
        actor: Actor = self.actor_of(request)
        return await bus.handle(command, actor)

    async def put_carrier(self, request: web.Request) -> web.Response:
        body = fs.CarrierIn.model_validate(await read_json(request))
        code = request.match_info["code"]
        result: fc.Upserted = await self._handle(request, fc.UpsertCarrier(
            code, body.name, tuple(s.service() for s in body.services), body.tracking_url,
            body.tracking_prefix))
        return put_answer(request, result.created, {"code": code,
                                                    **body.model_dump(mode="json")})

    async def put_box(self, request: web.Request) -> web.Response:
        body = fs.BoxIn.model_validate(await read_json(request))
        warehouse, name = request.match_info["code"], request.match_info["name"]
        box = body.box(name)
        result: fc.Upserted = await self._handle(request, fc.UpsertBox(warehouse, box))
        return put_answer(request, result.created, {"warehouse": warehouse, **asdict(box)})

    async def put_bin(self, request: web.Request) -> web.Response:
        body = fs.BinIn.model_validate(await read_json(request))
        typed = request.match_info["sku"]
        result: fc.Upserted = await self._handle(request, fc.SetBin(typed, body.warehouse,
                                                                    body.bin))
        sku = await self.deps.views_of(request).product_sku(typed) or typed  # as created
        return put_answer(request, result.created,
                          {"sku": sku, "warehouse": body.warehouse, "bin": result.key})
