"""One backorder queue: stock that comes free goes to the oldest waiting orders first.

Every path that frees stock (a receipt, a cancellation, the expiry of an unpaid order, a
restocked return, an adjustment) calls `release_and_serve` or `serve_backorders` in the
same unit of work, so a new order never sees a freed unit that an older backorder needs.
"""

from __future__ import annotations

from collections.abc import Iterable

from domain.errors import InsufficientStock
from domain.events import OrderAllocated
from domain.messagebus import Context
from domain.orders import model as om
from domain.orders.cancellation import Release
from domain.orders.placement import plan_for, reserve_into
from domain.ports import UnitOfWork


async def release_and_serve(releases: Iterable[Release], uow: UnitOfWork, ctx: Context
                            ) -> list[int]:
    """Release reserved units, then serve the queue for their SKUs; the served order ids."""
    skus: set[str] = set()
    for r in sorted(releases, key=lambda r: (r.sku, r.warehouse)):  # fixed lock order
        await uow.stock.release(r.sku, r.warehouse, r.quantity)
        skus.add(r.sku)
    return await serve_backorders(skus, uow, ctx)


async def serve_backorders(skus: Iterable[str], uow: UnitOfWork, ctx: Context) -> list[int]:
    """Allocate backordered orders needing any of `skus`, oldest first; their ids.

    An order that cannot be served whole keeps its place, and no younger order takes a
    SKU it waits for (first in, first served).
    """
    wanted_skus = sorted(set(skus))
    if not wanted_skus:
        return []
    served: list[int] = []
    waiting: set[str] = set()
    for order in await uow.orders.backordered_with(wanted_skus):
        needs = order.unshipped_quantities()
        if waiting & needs.keys() or not await _allocate(order, needs, uow):
            waiting |= needs.keys()
            continue
        order.status = om.PENDING_PAYMENT if order.due > 0 else om.CONFIRMED
        assert order.id is not None
        ctx.audit("order.allocate", order.number)
        ctx.emit(OrderAllocated(order.id))
        served.append(order.id)
    return served


async def _allocate(order: om.Order, needs: dict[str, int], uow: UnitOfWork) -> bool:
    if not needs:
        return False
    try:
        plan = await plan_for(needs, order.shipping_address, uow)
    except InsufficientStock:
        return False
    await reserve_into(order, plan, uow)
    return True
