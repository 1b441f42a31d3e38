"""Which handler runs each fulfilment command."""

from __future__ import annotations

from domain.fulfillment import commands as c
from domain.fulfillment import handlers as h
from domain.fulfillment import pack_handlers, shipping, thirdparty_handlers
from domain.fulfillment.thirdparty import ConfirmFulfilment
from domain.messagebus import Handler
from domain.orders import commands as oc


def fulfilment_handlers() -> dict[type, Handler]:
    return {
        oc.ShipOrder: shipping.ship_order,  # wraps the hand-typed ship of domain.orders
        c.UpsertCarrier: h.upsert_carrier,
        c.UpsertBox: h.upsert_box,
        c.SetBin: h.set_bin,
        c.ChooseRate: h.choose_rate,
        c.StartPacking: pack_handlers.start_packing,
        c.ScanItem: pack_handlers.scan_item,
        oc.ConfirmPayment: thirdparty_handlers.confirm_payment,  # then 3PL requests
        ConfirmFulfilment: thirdparty_handlers.confirm_fulfilment,
    }
