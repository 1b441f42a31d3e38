"""Handlers of third-party logistics: a 3PL's shipment confirmation, and the payment
confirmation that lets a 3PL's parcels go."""

from __future__ import annotations

from domain.errors import DomainError, InvalidInput, NotFound
from domain.events import OrderShipped
from domain.fulfillment.thirdparty import ConfirmFulfilment, ParcelsReady
from domain.input_policy import own_sku
from domain.messagebus import Context
from domain.orders import commands as oc
from domain.orders import handlers as oh
from domain.orders import model as om
from domain.ports import UnitOfWork
from domain.texts import N_, Code, Text


async def confirm_payment(cmd: oc.ConfirmPayment, uow: UnitOfWork, ctx: Context
                          ) -> oc.OrderChanged:
    """Confirm as the orders context does, then let 3PL warehouses have the parcels."""
    changed = await oh.confirm_payment(cmd, uow, ctx)
    ctx.emit(ParcelsReady(changed.order_id))
    return changed


async def confirm_fulfilment(cmd: ConfirmFulfilment, uow: UnitOfWork, ctx: Context
                             ) -> oc.OrderChanged:
    # an ETA in the past is refused by the input policy (domain.input_policy), on the bus
    order_id = await uow.fulfilment.order_of_shipment(cmd.shipment_id)
    if order_id is None:
        raise NotFound(Text(N_("Fulfilment")), cmd.shipment_id)
    order = await oh.load_order(uow, order_id)
    shipment = next(s for s in order.shipments if s.id == cmd.shipment_id)
    if shipment.status != om.SHIPMENT_PENDING:
        if shipment.tracking_number == cmd.tracking_number.strip():
            return oc.OrderChanged(order_id, order.number, order.status, changed=False)
        raise DomainError(Text.of(N_("Fulfilment %(id)s of %(number)s is already %(status)s"),
                                  id=cmd.shipment_id, number=order.number,
                                  status=Code("status", shipment.status)))
    order.require("ship")
    if cmd.lines:
        skus = [item.sku for item in shipment.items]  # lines name SKUs in any case
        shipment = _split(order, shipment, {own_sku(skus, sku): n for sku, n in cmd.lines})
        await uow.flush()
    for item in shipment.items:
        await uow.stock.commit_shipment(item.sku, shipment.warehouse, item.quantity)
    order.ship(shipment, cmd.carrier.strip(), cmd.tracking_number.strip(), cmd.eta,
               ctx.clock.now())
    ctx.audit("order.ship", order.number, carrier=cmd.carrier, tracking=cmd.tracking_number,
              warehouse=shipment.warehouse, fulfilment=cmd.shipment_id)
    assert shipment.id is not None
    ctx.emit(OrderShipped(order_id, order.customer_id, shipment.id))
    return oc.OrderChanged(order_id, order.number, order.status)


def _split(order: om.Order, shipment: om.Shipment, shipped: dict[str, int]) -> om.Shipment:
    """Only `shipped` left: the rest stays pending as its own parcel."""
    held = {i.sku: i.quantity for i in shipment.items}
    problems = [(f"lines.{sku}", Text.of(N_("the parcel has %(count)s of %(sku)s"),
                                         count=held.get(sku, 0), sku=sku))
                for sku, n in shipped.items() if n < 1 or n > held.get(sku, 0)]
    if problems:
        raise InvalidInput(problems)
    rest = {sku: n - shipped.get(sku, 0) for sku, n in held.items() if n > shipped.get(sku, 0)}
    parcels = [shipped, rest] if rest else [shipped]
    return order.split_shipment(shipment, parcels)[0]
