"""Handlers for returns: request, decide, restock on receipt, refund, exchange."""

from __future__ import annotations

from collections import Counter
from decimal import Decimal

from domain.customers.model import normalise_email
from domain.errors import DomainError, InvalidInput, NotFound
from domain.events import ReturnDecided, ReturnRequested
from domain.messagebus import Context
from domain.money import quantize
from domain.orders import model as om
from domain.orders.commands import CustomerDetails, LineRequest, PlaceOrder
from domain.orders.placement import place_order
from domain.ports import UnitOfWork
from domain.returns import commands as c
from domain.returns import model as rm
from domain.returns.model import is_in_return_window

RETURNABLE = (om.DELIVERED, om.COMPLETED)


async def request_return(cmd: c.RequestReturn, uow: UnitOfWork, ctx: Context) -> c.ReturnResult:
    order = await uow.orders.get(cmd.order_id, for_update=True)
    if order is None or not await _owned_by(order, cmd.requested_by_email, uow):
        raise NotFound("Order", om.format_order_number(cmd.order_id))
    if order.status not in RETURNABLE:
        raise DomainError(f"Order {order.number} can be returned once it is delivered")
    if not is_in_return_window(order.delivered_at, ctx.clock.now(), ctx.config.return_window):
        days = ctx.config.return_window.days
        raise DomainError(f"Order {order.number} is past its {days}-day return window")
    returnable = await _returnable_quantities(order, uow)
    wanted = Counter[str]()
    for ln in cmd.lines or tuple(c.ReturnLineRequest(s, q) for s, q in returnable.items()):
        wanted[ln.sku] += ln.quantity
    problems = [(f"lines.{sku}", f"only {returnable.get(sku, 0)} can be returned")
                for sku, qty in wanted.items() if qty <= 0 or qty > returnable.get(sku, 0)]
    if problems or not wanted:
        raise InvalidInput(problems or [("lines", "everything on this order is already "
                                                  "being returned")])
    prices = {ln.sku: ln.unit_price for ln in order.lines}
    warehouses = {item.sku: s.warehouse for s in order.shipments for item in s.items}
    ret = rm.ReturnRequest(
        order_id=cmd.order_id, reason=cmd.reason.strip()[:500], currency=order.currency,
        created_at=ctx.clock.now(), exchange=cmd.exchange, channel=cmd.channel,
        lines=[rm.ReturnLine(sku, qty, prices[sku], warehouses.get(sku))
               for sku, qty in wanted.items()],
    )
    await uow.returns.add(ret)
    assert ret.id is not None
    ctx.audit("return.request", ret.rma, order=order.number, reason=ret.reason)
    ctx.emit(ReturnRequested(ret.id, cmd.order_id, order.customer_id, ret.reason, cmd.channel))
    return c.ReturnResult(ret.id, ret.rma, ret.status)


async def _owned_by(order: om.Order, email: str | None, uow: UnitOfWork) -> bool:
    if email is None:
        return True
    customer = await uow.customers.get(order.customer_id)
    return customer is not None and customer.email == normalise_email(email)


async def _returnable_quantities(order: om.Order, uow: UnitOfWork) -> dict[str, int]:
    left = Counter[str]()
    for ln in order.lines:
        left[ln.sku] += ln.quantity
    for ret in await uow.returns.for_order(order.id or 0):
        if ret.status != rm.REJECTED:
            for rl in ret.lines:
                left[rl.sku] -= rl.quantity
    return {sku: qty for sku, qty in left.items() if qty > 0}


async def decide_return(cmd: c.DecideReturn, uow: UnitOfWork, ctx: Context) -> c.ReturnResult:
    ret = await uow.returns.get(cmd.return_id)
    if ret is None:
        raise NotFound("Return", rm.format_rma(cmd.return_id))
    order = await uow.orders.get(ret.order_id, for_update=True)
    assert order is not None and ret.id is not None
    ret.apply(cmd.action, ctx.clock.now())
    amount: Decimal | None = None
    if cmd.action == "receive":
        await _restock(ret, order, uow)
        if ret.exchange:
            ret.replacement_order_id = await _replacement(ret, order, uow, ctx)
    elif cmd.action == "refund":
        amount = quantize(ret.line_total(), ret.currency)
        ret.refund_amount = amount
        refunded = sum((r.refund_amount or Decimal(0) for r in await uow.returns.for_order(
            order.id or 0)), Decimal(0))
        order.payment_status = "refunded" if refunded >= order.total else "partially_refunded"
    ctx.audit("return." + cmd.action, ret.rma, order=order.number)
    if cmd.action != "close":
        ctx.emit(ReturnDecided(ret.id, ret.order_id, order.customer_id, ret.status, amount))
    return c.ReturnResult(ret.id, ret.rma, ret.status, ret.replacement_order_id)


async def _restock(ret: rm.ReturnRequest, order: om.Order, uow: UnitOfWork) -> None:
    fallback = order.shipments[0].warehouse if order.shipments else None
    for ln in ret.lines:
        warehouse = ln.warehouse or fallback
        if warehouse is not None:
            await uow.stock.receive(ln.sku, warehouse, ln.quantity)


async def _replacement(
    ret: rm.ReturnRequest, order: om.Order, uow: UnitOfWork, ctx: Context
) -> int:
    customer = await uow.customers.get(order.customer_id)
    assert customer is not None
    result = await place_order(PlaceOrder(
        external_id=f"{order.number}/{ret.rma}", channel=order.channel,
        currency=order.currency, customer=CustomerDetails(email=customer.email),
        shipping_address=order.shipping_address, shipping_method=order.shipping_method,
        lines=tuple(LineRequest(ln.sku, ln.quantity, Decimal(0), Decimal(0))
                    for ln in ret.lines),
        flags=("replacement",),
    ), uow, ctx)
    return result.order_id
