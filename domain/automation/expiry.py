"""expire-unpaid: `pending_payment` orders older than OMSBOT_UNPAID_HOLD release their stock
and are cancelled with reason "unpaid"; the customer is told."""

from __future__ import annotations

from domain.accounting.cancellations import refund_cancelled
from domain.automation.commands import ExpireUnpaidOrders, JobOutcome
from domain.inventory.backorders import release_and_serve
from domain.messagebus import Context
from domain.orders import model as om
from domain.orders.handlers import emit_cancellation
from domain.ports import UnitOfWork

JOB = "expire-unpaid"
BUSY = "another omsbot process is running this job right now"
REASON = "unpaid"


async def expire_unpaid_orders(cmd: ExpireUnpaidOrders, uow: UnitOfWork, ctx: Context
                               ) -> JobOutcome:
    if not await uow.scans.try_lock(JOB):
        return JobOutcome(JOB, skipped=BUSY)
    cutoff = ctx.clock.now() - ctx.config.unpaid_hold
    ids = await uow.scans.expired_unpaid(om.PENDING_PAYMENT, cutoff, cmd.limit)
    lines: list[str] = []
    for order_id in ids:
        order = await uow.orders.get(order_id, for_update=True)
        if order is None or order.status != om.PENDING_PAYMENT:
            continue  # paid or changed since the scan
        done = order.cancel(REASON)
        await release_and_serve(done.releases, uow, ctx)
        released = sum(r.quantity for r in done.releases)
        ctx.audit("order.cancel", order.number, reason=REASON, automatic=True)
        await refund_cancelled(order, done.units, done.whole_order, uow, ctx)
        emit_cancellation(order, done, REASON, ctx, notify_customer=True)
        placed = order.placed_at.isoformat().replace("+00:00", "Z")
        lines.append(f"{order.number}: unpaid since {placed}: cancelled, {released} units "
                     f"released, customer told")
    return JobOutcome(JOB, tuple(lines), more=len(ids) >= cmd.limit)
