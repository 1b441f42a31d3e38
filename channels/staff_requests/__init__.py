"""What staff can ask for: one frozen dataclass per command of the staff grammar, kept by
context (`orders`, `fulfilment`, `stock`, `returns`, `money`, `reports`, `admin`; `base`
holds what they share and `Help`). Import them from here: `from channels import
staff_requests as sr` then `sr.ShipOrder`.

Standard library and the domain only. The text grammar that builds these is
`channels.staff_grammar`; the values they carry are parsed by `channels.staff_values`.
"""

from __future__ import annotations

from typing import TypeAlias

from channels.staff_requests.admin import SetStaffRole
from channels.staff_requests.base import Change, Help, Query, StaffRequestBase
from channels.staff_requests.fulfilment import (
    PICK_STRATEGIES,
    ChooseRate,
    PackingSlip,
    PickList,
    PickStrategy,
    Scan,
    ShippingLabel,
    ShowRates,
    StartPacking,
)
from channels.staff_requests.money import PayOrder, SetFxRate, ShowFxRates
from channels.staff_requests.orders import (
    ORDER_CHANNELS,
    ORDER_FLAGS,
    ORDER_STATUSES,
    CancelOrder,
    DeliverOrder,
    FlagOrder,
    HoldOrder,
    ListOrders,
    NewOrder,
    OrderChannel,
    OrderFlag,
    OrderStatus,
    ReleaseOrder,
    ShipOrder,
    ShowOrder,
)
from channels.staff_requests.reports import (
    CUSTOMER_RANKINGS,
    PRODUCT_RANKINGS,
    REPORT_PERIODS,
    CustomerRanking,
    ProductRanking,
    Report,
    ReportPeriod,
    ShowCustomer,
    TopCustomers,
    TopProducts,
)
from channels.staff_requests.returns import (
    RETURN_DECISIONS,
    ListReturns,
    ReturnAction,
    ReturnDecision,
)
from channels.staff_requests.stock import (
    AdjustStock,
    ApprovePurchaseOrder,
    LowStock,
    PurchaseOrders,
    ReceiveStock,
    ShowStock,
)
from domain.staff.model import Role

__all__ = [
    "CUSTOMER_RANKINGS", "ORDER_CHANNELS", "ORDER_FLAGS", "ORDER_STATUSES", "PICK_STRATEGIES",
    "PRODUCT_RANKINGS", "REPORT_PERIODS", "RETURN_DECISIONS", "AdjustStock",
    "ApprovePurchaseOrder",
    "CancelOrder", "Change", "ChooseRate", "CustomerRanking", "DeliverOrder", "FlagOrder",
    "Help", "HoldOrder", "ListOrders", "ListReturns", "LowStock", "NewOrder", "OrderChannel",
    "OrderFlag", "OrderStatus", "PackingSlip", "PayOrder", "PickList", "PickStrategy",
    "ProductRanking", "PurchaseOrders", "Query", "ReceiveStock", "ReleaseOrder", "Report",
    "ReportPeriod", "ReturnAction", "ReturnDecision", "Role", "Scan", "SetFxRate",
    "SetStaffRole", "ShipOrder", "ShippingLabel", "ShowCustomer", "ShowFxRates", "ShowOrder",
    "ShowRates", "ShowStock", "StaffRequest", "StaffRequestBase", "StartPacking",
    "TopCustomers", "TopProducts",
]

StaffRequest: TypeAlias = (
    Help | ShowOrder | ListOrders | NewOrder | ShipOrder | DeliverOrder | CancelOrder
    | HoldOrder | ReleaseOrder | FlagOrder | ShowStock | ReceiveStock | AdjustStock | LowStock
    | ListReturns
    | ReturnAction | ShowCustomer | TopCustomers | TopProducts | Report | PickList
    | PurchaseOrders | ApprovePurchaseOrder | SetStaffRole | ShowFxRates | SetFxRate | ShowRates
    | ChooseRate | ShippingLabel | PackingSlip | StartPacking | Scan | PayOrder
)
