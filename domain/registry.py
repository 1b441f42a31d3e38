"""Which handler runs each command (the composition root adds channel contexts' own)."""

from __future__ import annotations

from domain.accounting.commands import RecordPayment, SetFxRate
from domain.accounting.handlers import set_fx_rate
from domain.accounting.payments import record_payment
from domain.fulfillment.registry import fulfilment_handlers
from domain.inbox import commands as mc
from domain.inbox import handlers as mh
from domain.inventory import commands as ic
from domain.inventory import handlers as ih
from domain.inventory.adjustments import adjust_stock
from domain.messagebus import Handler
from domain.orders import commands as oc
from domain.orders import handlers as oh
from domain.orders.placement import place_order
from domain.returns import commands as rc
from domain.returns import handlers as rh
from domain.staff.commands import SetStaffRole
from domain.staff.handlers import set_staff_role


def core_handlers() -> dict[type, Handler]:
    return {
        oc.PlaceOrder: place_order,
        oc.ConfirmPayment: oh.confirm_payment,
        oc.StartPicking: oh.start_picking,
        oc.MarkPacked: oh.mark_packed,
        oc.ShipOrder: oh.ship_order,
        oc.DeliverOrder: oh.deliver_order,
        oc.CancelOrder: oh.cancel_order,
        oc.HoldOrder: oh.hold_order,
        oc.ReleaseOrder: oh.release_order,
        oc.FlagOrder: oh.flag_order,
        oc.RecordTrackingEvent: oh.record_tracking_event,
        oc.RecordReview: oh.record_review,
        ic.UpsertWarehouse: ih.upsert_warehouse,
        ic.UpsertProduct: ih.upsert_product,
        ic.UpsertShippingMethod: ih.upsert_shipping_method,
        ic.ReceiveStock: ih.receive_stock,
        ic.AdjustStock: adjust_stock,
        rc.RequestReturn: rh.request_return,
        rc.DecideReturn: rh.decide_return,
        RecordPayment: record_payment,
        SetStaffRole: set_staff_role,
        mc.ReceiveCustomerMail: mh.receive_customer_mail,
        SetFxRate: set_fx_rate,
        **fulfilment_handlers(),
    }
