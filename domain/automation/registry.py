"""Handlers of the automation commands (the composition root merges them into the bus)."""

from __future__ import annotations

from domain.accounting.reminders import SendPaymentReminders, send_payment_reminders
from domain.automation import commands as c
from domain.automation.alerts import raise_staff_alert
from domain.automation.delays import check_delays
from domain.automation.expiry import expire_unpaid_orders
from domain.automation.low_stock import check_low_stock
from domain.automation.purchasing import approve_purchase_order
from domain.automation.report import send_daily_report
from domain.automation.reviews import send_review_requests
from domain.messagebus import Handler


def automation_handlers() -> dict[type, Handler]:
    return {
        c.CheckLowStock: check_low_stock,
        c.CheckDelays: check_delays,
        c.SendReviewRequests: send_review_requests,
        c.ExpireUnpaidOrders: expire_unpaid_orders,
        SendPaymentReminders: send_payment_reminders,
        c.SendDailyReport: send_daily_report,
        c.ApprovePurchaseOrder: approve_purchase_order,
        c.RaiseStaffAlert: raise_staff_alert,
    }
