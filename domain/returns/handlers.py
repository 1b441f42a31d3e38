"""Handlers for returns: request, decide, restock on receipt, refund, exchange."""

from __future__ import annotations

from collections import Counter
from decimal import Decimal

from domain.accounting.events import RefundPaid, ReturnRestocked
from domain.accounting.model import REFUND, Payment
from domain.customers.model import normalise_email
from domain.errors import (
    ORDER,
    WAREHOUSE,
    InvalidInput,
    NotFound,
    NotReturnable,
    ValidationError,
)
from domain.events import ReturnDecided, ReturnRequested
from domain.input_policy import own_sku
from domain.inventory.backorders import serve_backorders
from domain.messagebus import Context
from domain.money import check_digits
from domain.orders import model as om
from domain.orders.commands import CustomerDetails, LineRequest, PlaceOrder
from domain.orders.placement import place_order
from domain.ports import UnitOfWork
from domain.returns import commands as c
from domain.returns import model as rm
from domain.returns.model import is_in_return_window
from domain.returns.pricing import plan_refund, price_return, returned_per_line
from domain.texts import N_, Text

RETURNABLE = (om.DELIVERED, om.COMPLETED)


async def request_return(cmd: c.RequestReturn, uow: UnitOfWork, ctx: Context) -> c.ReturnResult:
    order = await uow.orders.get(cmd.order_id, for_update=True)
    if order is None or not await _owned_by(order, cmd.requested_by_email, uow):
        raise NotFound(ORDER, om.format_order_number(cmd.order_id))
    if order.status not in RETURNABLE and not order.delivered_units():
        raise NotReturnable(Text.of(N_("Order %(number)s can be returned once it is delivered"),
                                    number=order.number))
    if not is_in_return_window(order.last_delivered_at(), ctx.clock.now(),
                               ctx.config.return_window):
        days = ctx.config.return_window.days
        raise NotReturnable(Text.of(
            N_("Order %(number)s is past its %(days)s-day return window"),
            number=order.number, days=days))
    units = await _returnable_units(order, uow)
    returnable = Counter[str]()
    for (sku, _), qty in units.items():
        returnable[sku] += qty
    wanted = Counter[str]()
    for ln in cmd.lines or tuple(c.ReturnLineRequest(s, q) for s, q in returnable.items()):
        wanted[_line_sku(order, ln.sku)] += ln.quantity
    problems: list[tuple[str, Text]] = [
        (f"lines.{sku}", Text.of(N_("only %(count)s can be returned"),
                                 count=returnable.get(sku, 0)))
        for sku, qty in wanted.items() if qty <= 0 or qty > returnable.get(sku, 0)]
    if problems or not wanted:
        raise InvalidInput(problems or [("lines", Text(N_(
            "everything on this order is already being returned")))])
    taken = returned_per_line(await uow.returns.for_order(cmd.order_id))
    ret = rm.ReturnRequest(
        order_id=cmd.order_id, reason=cmd.reason.strip()[:500], currency=order.currency,
        created_at=ctx.clock.now(), exchange=cmd.exchange, channel=cmd.channel,
        lines=price_return(order, rm.split_by_origin(wanted, units), taken),
    )
    await uow.returns.add(ret)
    assert ret.id is not None
    ctx.audit("return.request", ret.rma, order=order.number, reason=ret.reason)
    ctx.emit(ReturnRequested(ret.id, cmd.order_id, order.customer_id, ret.reason, cmd.channel))
    return c.ReturnResult(ret.id, ret.rma, ret.status)


def _line_sku(order: om.Order, sku: str) -> str:
    """The order line's own spelling of a SKU given in any case."""
    return own_sku([ln.sku for ln in order.lines], sku)


async def _owned_by(order: om.Order, email: str | None, uow: UnitOfWork) -> bool:
    if email is None:
        return True
    customer = await uow.customers.get(order.customer_id)
    return customer is not None and customer.email == normalise_email(email)


async def _returnable_units(order: om.Order, uow: UnitOfWork
                            ) -> dict[tuple[str, str | None], int]:
    """{(sku, warehouse it was delivered from): units not yet in a return}.

    Imported history has no parcels: its units have no known warehouse (None).
    """
    left: dict[tuple[str, str | None], int] = {
        (sku, warehouse): qty for (sku, warehouse), qty in order.delivered_units().items()}
    if not order.shipments:
        for ln in order.lines:
            left[(ln.sku, None)] = left.get((ln.sku, None), 0) + ln.open_quantity
    for ret in await uow.returns.for_order(order.id or 0):
        if ret.status != rm.REJECTED:
            for rl in ret.lines:
                key = (rl.sku, rl.warehouse) if (rl.sku, rl.warehouse) in left else next(
                    (k for k in left if k[0] == rl.sku and left[k] > 0), (rl.sku, None))
                left[key] = left.get(key, 0) - rl.quantity
    return {key: qty for key, qty in left.items() if qty > 0}


async def decide_return(cmd: c.DecideReturn, uow: UnitOfWork, ctx: Context) -> c.ReturnResult:
    ret = await uow.returns.get(cmd.return_id)
    if ret is None:
        raise NotFound(Text(N_("Return")), rm.format_rma(cmd.return_id))
    order = await uow.orders.get(ret.order_id, for_update=True)
    assert order is not None and ret.id is not None
    if cmd.amount is not None and cmd.action != "refund":
        raise ValidationError("amount", Text(N_("an amount goes with refund only")))
    if cmd.amount is not None:  # too many decimals is refused as the API does, not rounded
        check_digits(cmd.amount, order.currency, "amount")
    if cmd.warehouse is not None and cmd.action != "receive":
        raise ValidationError("warehouse", Text(N_("a warehouse goes with receive only")))
    ret.apply(cmd.action, ctx.clock.now())
    amount: Decimal | None = None
    if cmd.action == "receive":
        await _restock(ret, order, cmd.warehouse, uow, ctx)
        if ret.exchange:
            ret.replacement_order_id = await _replacement(ret, order, uow, ctx)
    elif cmd.action == "refund":
        amount = await refund_return(ret, order, cmd.amount, uow, ctx)
    ctx.audit("return." + cmd.action, ret.rma, order=order.number,
              **({"amount": str(amount)} if amount is not None else {}))
    if cmd.action != "close":
        ctx.emit(ReturnDecided(ret.id, ret.order_id, order.customer_id, ret.status, amount))
    return c.ReturnResult(ret.id, ret.rma, ret.status, ret.replacement_order_id)


async def _restock(ret: rm.ReturnRequest, order: om.Order, warehouse: str | None,
                   uow: UnitOfWork, ctx: Context) -> None:
    """Each unit goes back where it shipped from, or to `warehouse` when staff name one;
    the freed stock then serves the backorder queue."""
    if warehouse is not None and await uow.warehouses.get(warehouse) is None:
        raise NotFound(WAREHOUSE, warehouse)
    for ln in ret.lines:
        target = warehouse or ln.warehouse
        if target is None:
            raise ValidationError("warehouse", Text.of(
                N_("%(number)s has no shipments, so nothing says where %(rma)s goes back; "
                   "name the warehouse to restock at (return receive %(rma)s WAREHOUSE)"),
                number=order.number, rma=ret.rma))
        await uow.stock.receive(ln.sku, target, ln.quantity)
        ln.warehouse = target
    await serve_backorders({ln.sku for ln in ret.lines}, uow, ctx)
    costs = {ln.id: ln.unit_cost or Decimal(0) for ln in order.lines}
    cost = sum((costs.get(ln.order_line_id, Decimal(0)) * ln.quantity for ln in ret.lines),
               Decimal(0))
    assert order.id is not None and ret.id is not None
    ctx.emit(ReturnRestocked(order.id, ret.id, order.currency, ctx.clock.now(), cost))


async def refund_return(ret: rm.ReturnRequest, order: om.Order, amount: Decimal | None,
                        uow: UnitOfWork, ctx: Context) -> Decimal:
    """Pay back what `ret` is worth, or `amount` (decimal in the order's currency);
    returns the amount refunded. Refused above what is left to refund on the order."""
    plan = plan_refund(ret, order, amount)
    order.record_refund(plan.amount)
    ret.refund_amount = plan.amount
    if plan.amount > 0:
        assert order.id is not None and ret.id is not None
        refund = Payment(order.id, REFUND, plan.amount, order.currency, ctx.clock.now(),
                         return_id=ret.id)
        await uow.payments.add(refund)
        assert refund.id is not None
        ctx.emit(RefundPaid(order.id, refund.id, order.currency, refund.at, plan.amount,
                            plan.net, plan.tax, plan.shipping, plan.goodwill, ret.id,
                            shipping_tax=plan.shipping_tax))
    return plan.amount


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
