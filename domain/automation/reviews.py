"""review-requests: ask for a review OMSBOT_REVIEW_REQUEST_AFTER after delivery, once per
order, never for cancelled or returned orders. Deliveries more than WINDOW older than that
(imported history, a first run on an old database) are not asked any more."""

from __future__ import annotations

from datetime import timedelta

from domain.automation.commands import JobOutcome, SendReviewRequests
from domain.events import ReviewRequested
from domain.messagebus import Context
from domain.orders import model as om
from domain.ports import UnitOfWork

JOB = "review-requests"
BUSY = "another omsbot process is running this job right now"
MARK = "review_request"
WINDOW = timedelta(days=14)
REVIEWABLE = (om.DELIVERED, om.COMPLETED)


async def send_review_requests(cmd: SendReviewRequests, uow: UnitOfWork, ctx: Context
                               ) -> JobOutcome:
    if not await uow.scans.try_lock(JOB):
        return JobOutcome(JOB, skipped=BUSY)
    now = ctx.clock.now()
    latest = now - ctx.config.review_request_after
    due = await uow.scans.due_review_requests(REVIEWABLE, latest - WINDOW, latest, MARK,
                                              cmd.limit)
    lines: list[str] = []
    marked = await uow.scans.mark_orders([o.order_id for o in due], MARK, now) if due else set()
    for order in due:
        if order.order_id not in marked:
            continue  # another run got there first
        number = om.format_order_number(order.order_id)
        ctx.emit(ReviewRequested(order.order_id, order.customer_id))
        ctx.audit("order.review_request", number)
        lines.append(f"{number}: review request sent")
    return JobOutcome(JOB, tuple(lines), more=len(due) >= cmd.limit)
