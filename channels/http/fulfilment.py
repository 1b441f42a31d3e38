"""Fulfilment endpoints of CONTRACT §10: carriers, boxes, bins (and, with documents, the
label, packing slip and pick list PDFs)."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from aiohttp import web

from channels.http import fulfilment_schemas as fs
from channels.http.errors import read_json
from domain.fulfillment import commands as fc
from domain.messagebus import Actor, MessageBus


def add_fulfilment_routes(api: web.Application, bus_of: Any, actor_of: Any) -> None:
    """Register the routes on the API app; `bus_of(request)` and `actor_of(request)` give
    the bus and the authenticated actor."""
    routes = _Routes(bus_of, actor_of)
    api.router.add_put("/carriers/{code}", routes.put_carrier)
    api.router.add_put("/warehouses/{code}/boxes/{name}", routes.put_box)
    api.router.add_put("/inventory/{sku}/bins", routes.put_bin)


class _Routes:
    def __init__(self, bus_of: Any, actor_of: Any) -> None:
        self.bus_of = bus_of
        self.actor_of = actor_of

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
        return web.json_response({"code": code, **body.model_dump(mode="json")},
                                 status=201 if result.created else 200)

    async def put_box(self, request: web.Request) -> web.Response:
        body = fs.BoxIn.model_validate(await read_json(request))
        warehouse, name = request.match_info["code"], request.match_info["name"]
        box = body.box(name)
        result: fc.Upserted = await self._handle(request, fc.UpsertBox(warehouse, box))
        return web.json_response({"warehouse": warehouse, **asdict(box)},
                                 status=201 if result.created else 200)

    async def put_bin(self, request: web.Request) -> web.Response:
        body = fs.BinIn.model_validate(await read_json(request))
        sku = request.match_info["sku"].upper()
        result: fc.Upserted = await self._handle(request, fc.SetBin(sku, body.warehouse,
                                                                    body.bin))
        return web.json_response({"sku": sku, "warehouse": body.warehouse, "bin": result.key})
