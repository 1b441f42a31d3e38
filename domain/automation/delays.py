"""delays: orders not shipped by their ship-by time, and shipments past their ETA.

One staff alert and one apology per order and stage: the order is marked
`delayed:<stage>` in the same transaction as the event that notifies. Orders whose
promise broke more than LOOKBACK ago (imported history, a first run on an old database)
are left alone.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from domain.automation.commands import CheckDelays, JobOutcome
from domain.automation.model import LateOrder
from domain.events import OrderDelayed
from domain.messagebus import Context
from domain.orders import model as om
from domain.ports import UnitOfWork

JOB = "delays"
BUSY = "another omsbot process is running this job right now"
LOOKBACK = timedelta(days=30)
DELIVERY_GRACE_DAYS = 2  # a carrier that missed its ETA usually delivers within this
SHIP_STAGE = "ship"
DELIVERY_STAGE = "delivery"
UNSHIPPED_STATUSES = (om.CONFIRMED, om.PICKING, om.PACKED, om.PARTIALLY_SHIPPED,
                      om.BACKORDERED, om.ON_HOLD)


def delay_mark(stage: str) -> str:
    return f"delayed:{stage}"


DELAY_MARKS = (delay_mark(SHIP_STAGE), delay_mark(DELIVERY_STAGE))


async def check_delays(cmd: CheckDelays, uow: UnitOfWork, ctx: Context) -> JobOutcome:
    if not await uow.scans.try_lock(JOB):
        return JobOutcome(JOB, skipped=BUSY)
    now = ctx.clock.now()
    today = now.astimezone(ZoneInfo(cmd.timezone)).date()
    unshipped = await uow.scans.unshipped_late(
        UNSHIPPED_STATUSES, now, now - LOOKBACK, delay_mark(SHIP_STAGE), cmd.limit)
    lines = await _delayed(unshipped, SHIP_STAGE, today, uow, ctx, now)
    room = cmd.limit - len(unshipped)
    overdue = await uow.scans.undelivered_late(
        om.SHIPMENT_IN_FLIGHT, today, today - LOOKBACK, delay_mark(DELIVERY_STAGE), room
    ) if room > 0 else []
    lines += await _delayed(overdue, DELIVERY_STAGE, today, uow, ctx, now)
    return JobOutcome(JOB, tuple(lines), more=len(unshipped) + len(overdue) >= cmd.limit)


def new_estimate(stage: str, today: date, transit_days: int) -> date:
    if stage == SHIP_STAGE:
        return today + timedelta(days=1 + transit_days)  # ship tomorrow, then transit
    return today + timedelta(days=DELIVERY_GRACE_DAYS)


async def _delayed(late_orders: list[LateOrder], stage: str, today: date, uow: UnitOfWork,
                   ctx: Context, now: datetime) -> list[str]:
    if not late_orders:
        return []
    marked = await uow.scans.mark_orders([o.order_id for o in late_orders], delay_mark(stage),
                                         now)
    lines: list[str] = []
    for late in late_orders:
        if late.order_id not in marked:
            continue  # another run got there first
        estimate = new_estimate(stage, today, late.transit_days)
        number = om.format_order_number(late.order_id)
        ctx.emit(OrderDelayed(late.order_id, late.customer_id, stage, estimate))
        ctx.audit("order.delayed", number, stage=stage, due=late.due.isoformat(),
                  new_estimate=estimate.isoformat())
        what = ("not shipped by its ship-by time" if stage == SHIP_STAGE
                else "past its delivery ETA and not delivered")
        due = late.due.isoformat().replace("+00:00", "Z")
        lines.append(f"{number}: {what} ({due}); apology sent, new estimate "
                     f"{estimate.isoformat()}")
    return lines
