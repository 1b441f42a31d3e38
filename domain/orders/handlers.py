"""Handlers for order actions after placement."""

from __future__ import annotations

from collections import Counter

from domain.accounting.cancellations import refund_cancelled
from domain.accounting.payments import confirm_payment as settle_due
from domain.errors import (
    ORDER,
    DomainError,
    InvalidTransition,
    NotFound,
    ValidationError,
    nothing_left_to_ship,
)
from domain.events import (
    OrderCancelled,
    OrderDelivered,
    OrderLinesCancelled,
    OrderShipped,
    ReviewRecorded,
    ShipmentOutForDelivery,
    ShipmentProblem,
)
from domain.input_policy import own_sku
from domain.inventory.backorders import release_and_serve
from domain.messagebus import Context
from domain.orders import commands as c
from domain.orders import model as m
from domain.orders.cancellation import Cancellation
from domain.ports import UnitOfWork
from domain.texts import N_, Text


async def load_order(uow: UnitOfWork, order_id: int) -> m.Order:
    order = await uow.orders.get(order_id, for_update=True)
    if order is None:
        raise NotFound(ORDER, m.format_order_number(order_id))
    return order


def _changed(order: m.Order, changed: bool = True) -> c.OrderChanged:
    assert order.id is not None
    return c.OrderChanged(order.id, order.number, order.status, changed)


async def confirm_payment(cmd: c.ConfirmPayment, uow: UnitOfWork, ctx: Context) -> c.OrderChanged:
    order = await load_order(uow, cmd.order_id)
    await settle_due(order, uow, ctx)
    ctx.audit("order.confirm", order.number)
    return _changed(order)


async def start_picking(cmd: c.StartPicking, uow: UnitOfWork, ctx: Context) -> c.OrderChanged:
    order = await load_order(uow, cmd.order_id)
    order.start_picking()
    ctx.audit("order.pick", order.number)
    return _changed(order)


async def mark_packed(cmd: c.MarkPacked, uow: UnitOfWork, ctx: Context) -> c.OrderChanged:
    order = await load_order(uow, cmd.order_id)
    order.mark_packed()
    ctx.audit("order.pack", order.number)
    return _changed(order)


async def ship_order(cmd: c.ShipOrder, uow: UnitOfWork, ctx: Context) -> c.OrderChanged:
    if not cmd.carrier.strip() or not cmd.tracking_number.strip():
        raise ValidationError("tracking_number",
                              Text(N_("a carrier and a tracking number are needed")))
    order = await load_order(uow, cmd.order_id)
    order.require("ship")
    pending = [s for s in order.pending_shipments()
               if cmd.warehouse is None or s.warehouse == cmd.warehouse]
    if not pending:
        raise DomainError(nothing_left_to_ship(order.number, cmd.warehouse))
    shipment = pending[0]
    for item in shipment.items:
        await uow.stock.commit_shipment(item.sku, shipment.warehouse, item.quantity)
    order.ship(shipment, cmd.carrier.strip(), cmd.tracking_number.strip(), cmd.eta,
               ctx.clock.now())
    ctx.audit("order.ship", order.number, carrier=cmd.carrier, tracking=cmd.tracking_number,
              warehouse=shipment.warehouse)
    assert order.id is not None and shipment.id is not None
    ctx.emit(OrderShipped(order.id, order.customer_id, shipment.id))
    return _changed(order)


async def deliver_order(cmd: c.DeliverOrder, uow: UnitOfWork, ctx: Context) -> c.OrderChanged:
    order = await load_order(uow, cmd.order_id)
    order.require("deliver")
    now = ctx.clock.now()
    delivered = False
    for shipment in order.shipments:
        if shipment.status in m.SHIPMENT_IN_FLIGHT:
            delivered = order.deliver_shipment(shipment, now) or delivered
    ctx.audit("order.deliver", order.number)
    if delivered:
        assert order.id is not None
        ctx.emit(OrderDelivered(order.id, order.customer_id))
    return _changed(order)


async def cancel_order(cmd: c.CancelOrder, uow: UnitOfWork, ctx: Context) -> c.OrderChanged:
    order = await load_order(uow, cmd.order_id)
    reason = cmd.reason.strip()
    wanted = Counter[str]()
    for ln in cmd.lines or ():
        wanted[ln.sku] += ln.quantity
    skus = [ln.sku for ln in order.lines]
    wanted_by_line = {own_sku(skus, sku): qty for sku, qty in wanted.items()}
    partial = cmd.lines is not None
    done = order.cancel_lines(wanted_by_line, reason) if partial else order.cancel(reason)
    await release_and_serve(done.releases, uow, ctx)
    ctx.audit("order.cancel", order.number, reason=reason,
              lines={u.sku: u.quantity for u in done.units} if partial else None)
    emit_cancellation(order, done, reason, ctx, notify_customer=True)  # told, then refunded
    await refund_cancelled(order, done.units, done.whole_order, uow, ctx)
    return _changed(order)


def emit_cancellation(order: m.Order, done: Cancellation, reason: str, ctx: Context, *,
                      notify_customer: bool = False) -> None:
    """OrderLinesCancelled for the units taken off; OrderCancelled when nothing is left.
    `notify_customer`: the customer is told (order_cancelled, naming the units when only
    some were); a refund that went with it is mailed from its RefundPaid."""
    assert order.id is not None
    if done.units:
        ctx.emit(OrderLinesCancelled(order.id, order.customer_id, order.currency, done.units,
                                     whole_order=done.whole_order, reason=reason,
                                     notify_customer=notify_customer))
    if done.whole_order:
        ctx.emit(OrderCancelled(order.id, order.customer_id, reason,
                                notify_customer=notify_customer))


async def hold_order(cmd: c.HoldOrder, uow: UnitOfWork, ctx: Context) -> c.OrderChanged:
    order = await load_order(uow, cmd.order_id)
    order.hold()
    ctx.audit("order.hold", order.number)
    return _changed(order)


async def release_order(cmd: c.ReleaseOrder, uow: UnitOfWork, ctx: Context) -> c.OrderChanged:
    order = await load_order(uow, cmd.order_id)
    order.release()
    ctx.audit("order.release", order.number)
    return _changed(order)


async def flag_order(cmd: c.FlagOrder, uow: UnitOfWork, ctx: Context) -> c.OrderChanged:
    if cmd.flag not in m.FLAGS:
        raise ValidationError("flag", Text.of(N_("%(value)s is not one of %(allowed)s"),
                                              value=repr(cmd.flag), allowed=list(m.FLAGS)))
    order = await load_order(uow, cmd.order_id)
    changed = order.add_flag(cmd.flag)
    if changed:
        ctx.audit("order.flag", order.number, flag=cmd.flag)
    return _changed(order, changed)


TRACKING_STATUSES = ("in_transit", "out_for_delivery", "delivered", "exception")


async def record_tracking_event(
    cmd: c.RecordTrackingEvent, uow: UnitOfWork, ctx: Context
) -> c.OrderChanged:
    if cmd.status not in TRACKING_STATUSES:
        raise ValidationError("status", Text.of(N_("must be one of %(allowed)s"),
                                                allowed=list(TRACKING_STATUSES)))
    found = await uow.orders.by_tracking_number(cmd.tracking_number)
    if found is None:
        raise NotFound(Text(N_("Tracking number")), cmd.tracking_number)
    order, shipment = found
    if shipment.status == m.SHIPMENT_DELIVERED or shipment.status == cmd.status:
        if cmd.eta is not None and shipment.status != m.SHIPMENT_DELIVERED:
            shipment.eta = cmd.eta
        return _changed(order, changed=False)  # a repeated carrier event changes nothing
    if shipment.status not in m.SHIPMENT_IN_FLIGHT:
        raise InvalidTransition(Text.of(N_("Shipment %(tracking)s"), tracking=cmd.tracking_number),
                                shipment.status,
                                cmd.status, [])
    if cmd.eta is not None:
        shipment.eta = cmd.eta
    assert order.id is not None and shipment.id is not None
    ctx.audit("shipment." + cmd.status, order.number, tracking=cmd.tracking_number)
    if cmd.status == "delivered":
        if order.deliver_shipment(shipment, cmd.at or ctx.clock.now()):
            ctx.emit(OrderDelivered(order.id, order.customer_id))
    else:
        shipment.status = cmd.status
        if cmd.status == "out_for_delivery":
            ctx.emit(ShipmentOutForDelivery(order.id, order.customer_id, shipment.id))
        elif cmd.status == "exception":
            ctx.emit(ShipmentProblem(order.id, shipment.id, f"carrier exception on "
                                                            f"{cmd.tracking_number}"))
    return _changed(order)


async def record_review(cmd: c.RecordReview, uow: UnitOfWork, ctx: Context) -> c.OrderChanged:
    if not 1 <= cmd.rating <= 5:
        raise ValidationError("rating", Text(N_("must be a whole number from 1 to 5")))
    order = await load_order(uow, cmd.order_id)
    if order.status not in (m.DELIVERED, m.COMPLETED):
        raise DomainError(Text.of(N_("Order %(number)s can be reviewed once it is delivered"),
                                  number=order.number))
    order.review_rating = cmd.rating
    order.review_comment = cmd.comment.strip()[:2000] or None
    order.reviewed_at = ctx.clock.now()
    ctx.audit("order.review", order.number, rating=cmd.rating)
    assert order.id is not None
    ctx.emit(ReviewRecorded(order.id, cmd.rating))
    return _changed(order)
