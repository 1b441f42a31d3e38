"""Handlers of scan to pack: open a session on an order, check scanned units in, and mark
the order packed when every unit is in."""

from __future__ import annotations

from domain.errors import DomainError
from domain.fulfillment import commands as c
from domain.fulfillment.pack_session import PackProgress, PackSession
from domain.messagebus import Context
from domain.orders import handlers as oh
from domain.orders import model as om
from domain.ports import UnitOfWork
from domain.texts import N_, Text


async def start_packing(cmd: c.StartPacking, uow: UnitOfWork, ctx: Context) -> PackProgress:
    order = await oh.load_order(uow, cmd.order_id)
    order.require("pack")
    expected: dict[str, int] = {}
    for shipment in order.pending_shipments():
        for item in shipment.items:
            expected[item.sku] = expected.get(item.sku, 0) + item.quantity
    if not expected:
        raise DomainError(Text.of(N_("Order %(number)s has nothing to pack"), number=order.number))
    other = await uow.fulfilment.pack_session_of_order(cmd.order_id)
    if other is not None and other.user != cmd.user:
        raise DomainError(Text.of(N_("Order %(number)s is being packed by %(user)s"),
                                  number=order.number, user=other.user))
    session = PackSession(cmd.user, cmd.order_id, order.number, expected, ctx.clock.now())
    await uow.fulfilment.save_pack_session(session)
    ctx.audit("order.pack_start", order.number)
    return PackProgress.of(session, None)


async def scan_item(cmd: c.ScanItem, uow: UnitOfWork, ctx: Context) -> PackProgress:
    session = await uow.fulfilment.pack_session(cmd.user)
    if session is None:
        raise DomainError(Text(N_("No order is being packed: start with `pack N`")))
    products = await uow.products.get_many(list(session.expected))
    sku_of = {sku.upper(): sku for sku in session.expected}
    sku_of.update({p.barcode.strip().upper(): p.sku for p in products.values() if p.barcode})
    sku = session.scan(cmd.code, sku_of)
    if not session.complete:
        await uow.fulfilment.save_pack_session(session)
        return PackProgress.of(session, sku)
    order = await oh.load_order(uow, session.order_id)
    if order.status != om.PACKED:
        order.mark_packed()
    await uow.fulfilment.close_pack_session(cmd.user)
    ctx.audit("order.pack", order.number, scanned=session.scanned)
    return PackProgress.of(session, sku)
