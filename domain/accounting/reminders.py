"""payment-reminders: an order still `pending_payment` OMSBOT_PAYMENT_REMINDER_AFTER after it
was placed gets one `payment_reminder`; past OMSBOT_UNPAID_HOLD the expire-unpaid job
cancels it instead."""

from __future__ import annotations

from dataclasses import dataclass

from domain.accounting.events import PaymentReminderDue
from domain.automation.commands import BATCH, JobOutcome
from domain.messagebus import Context
from domain.orders import model as om
from domain.ports import UnitOfWork

JOB = "payment-reminders"
BUSY = "another omsbot process is running this job right now"
MARK = "payment_reminder"


@dataclass(frozen=True)
class SendPaymentReminders:
    limit: int = BATCH


async def send_payment_reminders(cmd: SendPaymentReminders, uow: UnitOfWork, ctx: Context
                                 ) -> JobOutcome:
    if not await uow.scans.try_lock(JOB):
        return JobOutcome(JOB, skipped=BUSY)
    now = ctx.clock.now()
    due = await uow.payments.awaiting(om.PENDING_PAYMENT, now - ctx.config.unpaid_hold,
                                      now - ctx.config.payment_reminder_after, MARK,
                                      cmd.limit)
    marked = await uow.scans.mark_orders([o.order_id for o in due], MARK, now) if due else set()
    lines: list[str] = []
    for order in due:
        if order.order_id not in marked:
            continue  # another run got there first
        number = om.format_order_number(order.order_id)
        ctx.emit(PaymentReminderDue(order.order_id, order.customer_id))
        ctx.audit("order.payment_reminder", number)
        lines.append(f"{number}: payment reminder sent")
    return JobOutcome(JOB, tuple(lines), more=len(due) >= cmd.limit)
