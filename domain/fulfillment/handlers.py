"""Handlers of fulfilment configuration: carriers, boxes, bins, and staff's rate choice."""

from __future__ import annotations

import re

from domain.errors import (
    PRODUCT,
    WAREHOUSE,
    DomainError,
    InvalidInput,
    NotFound,
    name_rule,
    nothing_left_to_ship,
)
from domain.fulfillment import commands as c
from domain.fulfillment.carriers import Carrier, validate_carrier
from domain.fulfillment.picking import BIN_PATTERN
from domain.inventory.handlers import CODE_PATTERN
from domain.messagebus import Context
from domain.orders import commands as oc
from domain.orders import handlers as oh
from domain.ports import UnitOfWork
from domain.texts import N_, Text

BOX_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$")


async def upsert_carrier(cmd: c.UpsertCarrier, uow: UnitOfWork, ctx: Context) -> c.Upserted:
    if not CODE_PATTERN.match(cmd.code):
        raise InvalidInput([("code", Text(N_("use letters, digits, '.', '_' or '-' "
                                                "(at most 32)")))])
    carrier = Carrier(cmd.code, cmd.name, list(cmd.services), cmd.tracking_url,
                      cmd.tracking_prefix)
    validate_carrier(carrier)
    created = await uow.fulfilment.put_carrier(carrier)
    ctx.audit("carrier.upsert", cmd.code, services=[s.code for s in cmd.services])
    return c.Upserted(cmd.code, created)


async def upsert_box(cmd: c.UpsertBox, uow: UnitOfWork, ctx: Context) -> c.Upserted:
    box = cmd.box
    problems: list[tuple[str, Text]] = []
    if not BOX_NAME.match(box.name):
        problems.append(("name", name_rule(32)))
    if min(box.dims) <= 0 or box.max_weight_g <= 0:
        problems.append(("length_mm",
                         Text(N_("dimensions and maximum weight must be positive"))))
    if box.tare_g < 0:
        problems.append(("tare_g", Text(N_("must not be negative"))))
    if problems:
        raise InvalidInput(problems)
    if await uow.warehouses.get(cmd.warehouse) is None:
        raise NotFound(WAREHOUSE, cmd.warehouse)
    created = await uow.fulfilment.put_box(cmd.warehouse, box)
    ctx.audit("box.upsert", f"{cmd.warehouse}/{box.name}")
    return c.Upserted(box.name, created)


async def set_bin(cmd: c.SetBin, uow: UnitOfWork, ctx: Context) -> c.Upserted:
    location = cmd.bin.strip().upper()
    if not BIN_PATTERN.match(location):
        raise InvalidInput([("bin", Text(N_("write ZONE-AISLE-SHELF, like A-03-2")))])
    product = await uow.products.get(cmd.sku)  # any case; kept under the product's own SKU
    if product is None:
        raise NotFound(PRODUCT, cmd.sku)
    if await uow.warehouses.get(cmd.warehouse) is None:
        raise NotFound(WAREHOUSE, cmd.warehouse)
    created = await uow.fulfilment.set_bin(product.sku, cmd.warehouse, location)
    ctx.audit("bin.set", product.sku, warehouse=cmd.warehouse, bin=location)
    return c.Upserted(location, created)


async def choose_rate(cmd: c.ChooseRate, uow: UnitOfWork, ctx: Context) -> oc.OrderChanged:
    """Staff pick a carrier service for the order's parcels that have not left yet."""
    order = await oh.load_order(uow, cmd.order_id)
    carrier = await uow.fulfilment.carrier(cmd.carrier)
    if carrier is None:
        carrier = next((x for x in await uow.fulfilment.carriers()
                        if x.code.lower() == cmd.carrier.lower()), None)
    if carrier is None:
        raise NotFound(Text(N_("Carrier")), cmd.carrier)
    service = carrier.service(cmd.service)
    if service is None:
        raise NotFound(Text.of(N_("Service of %(carrier)s"), carrier=carrier.name),
                       cmd.service)
    pending = order.pending_shipments()
    if not pending:
        raise DomainError(nothing_left_to_ship(order.number, None))
    for shipment in pending:
        shipment.carrier, shipment.service = carrier.code, service.code
    ctx.audit("order.choose_rate", order.number, carrier=carrier.code, service=service.code)
    assert order.id is not None
    return oc.OrderChanged(order.id, order.number, order.status)
