"""`ship` without a carrier: pack each pending shipment, buy the chosen rate for each parcel,
take a tracking number from the carrier's series, and ship. With a carrier and a tracking
number, `ship` is the hand-typed shipment it always was."""

from __future__ import annotations

from datetime import date

from domain.errors import (
    DomainError,
    NotFound,
    nothing_left_to_ship,
)
from domain.events import OrderShipped
from domain.fulfillment.carriers import Carrier
from domain.fulfillment.planning import (
    Destination,
    ParcelPlan,
    is_express,
    plan_parcels,
    units_of,
)
from domain.fulfillment.ports import FulfilmentRepository
from domain.messagebus import Context
from domain.orders import commands as oc
from domain.orders import handlers as oh
from domain.orders import model as om
from domain.ports import ProductRepository, UnitOfWork
from domain.texts import N_, Text


async def ship_order(cmd: oc.ShipOrder, uow: UnitOfWork, ctx: Context) -> oc.OrderChanged:
    """Ship with a typed carrier and tracking number, or (no tracking number) buy the rate."""
    # an ETA in the past is refused by the input policy (domain.input_policy), on the bus
    if cmd.tracking_number.strip():
        return await oh.ship_order(cmd, uow, ctx)
    order = await oh.load_order(uow, cmd.order_id)
    order.require("ship")
    pending = [s for s in order.pending_shipments()
               if cmd.warehouse is None or s.warehouse == cmd.warehouse]
    if not pending:
        raise DomainError(nothing_left_to_ship(order.number, cmd.warehouse))
    carriers = await _carriers(uow, cmd.carrier.strip())
    today = ctx.config.day_of(ctx.clock.now())
    for shipment in pending:
        plans = await plan_shipment(order, shipment, carriers, uow.products, uow.fulfilment,
                                    today)
        parcels = order.split_shipment(shipment, [p.parcel.quantities() for p in plans])
        await uow.flush()  # new parcels get their ids
        for parcel, plan in zip(parcels, plans, strict=True):
            await _ship_parcel(order, parcel, plan, carriers, cmd, uow, ctx)
    return oc.OrderChanged(order.id or 0, order.number, order.status)


async def _carriers(uow: UnitOfWork, wanted: str) -> list[Carrier]:
    carriers = await uow.fulfilment.carriers()
    if wanted:
        carriers = [c for c in carriers if c.code.lower() == wanted.lower()]
        if not carriers:
            raise NotFound(Text(N_("Carrier")), wanted)
    if not carriers:
        raise DomainError(Text(N_("No carrier is set up: add one (PUT /api/v1/carriers/CODE), "
                                 "or ship with a carrier and a tracking number")))
    return carriers


async def plan_shipment(order: om.Order, shipment: om.Shipment, carriers: list[Carrier],
                        catalogue: ProductRepository, fulfilment: FulfilmentRepository,
                        ship_on: date) -> list[ParcelPlan]:
    """The parcels `ship` would send for this pending shipment, each with its rates."""
    items = [(i.sku, i.quantity) for i in shipment.items]
    products = await catalogue.get_many([sku for sku, _ in items])
    boxes = await fulfilment.boxes(shipment.warehouse)
    preferred = ((shipment.carrier, shipment.service)
                 if shipment.carrier and shipment.service else None)
    destination = Destination(str(order.shipping_address.get("country", "")),
                              order.promised_delivery, is_express(order.shipping_method))
    return plan_parcels(units_of(items, products), boxes, carriers, destination,
                        ship_on, preferred)


async def _ship_parcel(order: om.Order, parcel: om.Shipment, plan: ParcelPlan,
                       carriers: list[Carrier], cmd: oc.ShipOrder, uow: UnitOfWork,
                       ctx: Context) -> None:
    rate = plan.chosen
    country = order.shipping_address.get("country", "?")
    if rate is None:
        raise DomainError(Text.of(
            N_("No carrier service takes a %(grams)s g parcel of order %(number)s to "
               "%(country)s"), grams=plan.parcel.weight_g, number=order.number,
            country=country))
    carrier = next(c for c in carriers if c.code == rate.carrier)
    if not carrier.tracking_prefix:
        raise DomainError(Text.of(
            N_("%(carrier)s has no tracking number series here: ship with its tracking "
               "number (ship %(number)s %(code)s NUMBER)"), carrier=carrier.name,
            number=order.number, code=carrier.code))
    tracking = carrier.tracking_number(await uow.fulfilment.next_serial(carrier.code))
    for item in parcel.items:
        await uow.stock.commit_shipment(item.sku, parcel.warehouse, item.quantity)
    order.ship(parcel, carrier.code, tracking, cmd.eta or rate.delivery, ctx.clock.now())
    parcel.service = rate.service
    parcel.box = plan.parcel.box.name if plan.parcel.box else None
    parcel.weight_g = plan.parcel.weight_g
    ctx.audit("order.ship", order.number, carrier=carrier.code, service=rate.service,
              tracking=tracking, warehouse=parcel.warehouse, price=str(rate.price))
    assert order.id is not None and parcel.id is not None
    ctx.emit(OrderShipped(order.id, order.customer_id, parcel.id))
