"""What staff can ask for, one frozen dataclass per command of the staff grammar, and the
values those requests carry (order and RMA numbers, SKUs, quantities, e-mails, Slack users).

Standard library and the domain only. The text grammar that builds these is
`channels.staff_grammar`.
The value parsers raise `ValueError` with a message written for a person.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import ClassVar, Literal, TypeAlias, get_args

from channels.staff_values import (  # re-exported: the grammar reads values from here
    MAX_NUMBER as MAX_NUMBER,
)
from channels.staff_values import (
    MAX_QUANTITY as MAX_QUANTITY,
)
from channels.staff_values import (
    parse_adjustment as parse_adjustment,
)
from channels.staff_values import (
    parse_amount as parse_amount,
)
from channels.staff_values import (
    parse_currency as parse_currency,
)
from channels.staff_values import (
    parse_date as parse_date,
)
from channels.staff_values import (
    parse_email as parse_email,
)
from channels.staff_values import (
    parse_free_text as parse_free_text,
)
from channels.staff_values import (
    parse_fx_rate as parse_fx_rate,
)
from channels.staff_values import (
    parse_item as parse_item,
)
from channels.staff_values import (
    parse_order_number as parse_order_number,
)
from channels.staff_values import (
    parse_person as parse_person,
)
from channels.staff_values import (
    parse_positive as parse_positive,
)
from channels.staff_values import (
    parse_purchase_order_id as parse_purchase_order_id,
)
from channels.staff_values import (
    parse_quantity as parse_quantity,
)
from channels.staff_values import (
    parse_rma as parse_rma,
)
from channels.staff_values import (
    parse_sku as parse_sku,
)
from channels.staff_values import (
    parse_slack_user as parse_slack_user,
)
from channels.staff_values import (
    parse_warehouse as parse_warehouse,
)
from channels.staff_values import (
    shown as shown,
)
from domain.staff.model import Role as Role  # re-exported for the grammar

OrderStatus = Literal[
    "pending_payment", "confirmed", "picking", "packed", "shipped", "partially_shipped",
    "delivered", "completed", "cancelled", "on_hold", "backordered",
]
OrderChannel = Literal["phone", "store"]
OrderFlag = Literal["vip", "gift", "replacement"]
ReturnDecision = Literal["approve", "reject", "receive", "refund"]
ReportPeriod = Literal["today", "week", "month"]
CustomerRanking = Literal["revenue", "profit"]
ProductRanking = Literal["revenue", "profit", "units"]
PickStrategy = Literal["single", "batch", "zone", "wave"]

ORDER_STATUSES: tuple[OrderStatus, ...] = get_args(OrderStatus)
ORDER_CHANNELS: tuple[OrderChannel, ...] = get_args(OrderChannel)
ORDER_FLAGS: tuple[OrderFlag, ...] = get_args(OrderFlag)
RETURN_DECISIONS: tuple[ReturnDecision, ...] = get_args(ReturnDecision)
REPORT_PERIODS: tuple[ReportPeriod, ...] = get_args(ReportPeriod)
CUSTOMER_RANKINGS: tuple[CustomerRanking, ...] = get_args(CustomerRanking)
PRODUCT_RANKINGS: tuple[ProductRanking, ...] = get_args(ProductRanking)
PICK_STRATEGIES: tuple[PickStrategy, ...] = get_args(PickStrategy)


class StaffRequestBase:
    """What every request declares: its command, whether it changes anything, who may ask."""

    __slots__ = ()
    command: ClassVar[str]
    is_change: ClassVar[bool] = False
    required_role: ClassVar[Role] = Role.VIEWER

    def allowed_for(self, role: Role | None) -> bool:
        return role is not None and role.covers(self.required_role)


class Query(StaffRequestBase):
    """Reads only; answered ephemerally. Any staff member (viewer and up) may ask."""

    __slots__ = ()


class Change(StaffRequestBase):
    """Changes orders, stock, returns or purchase orders; answered in the channel."""

    __slots__ = ()
    is_change = True
    required_role = Role.OPERATOR


@dataclass(frozen=True, slots=True)
class Help(Query):
    command = "help"
    topic: str | None = None


@dataclass(frozen=True, slots=True)
class ShowOrder(Query):
    command = "order"
    number: int


@dataclass(frozen=True, slots=True)
class ListOrders(Query):
    command = "orders"
    status: OrderStatus | None = None


@dataclass(frozen=True, slots=True)
class NewOrder(Change):
    command = "new"
    email: str
    items: tuple[tuple[str, int], ...]
    channel: OrderChannel = "phone"


@dataclass(frozen=True, slots=True)
class ShipOrder(Change):
    """Without a carrier and tracking number omsbot buys the chosen rate and the label."""

    command = "ship"
    number: int
    carrier: str = ""
    tracking: str = ""
    eta: date | None = None


@dataclass(frozen=True, slots=True)
class ShowRates(Query):
    command = "rates"
    number: int


@dataclass(frozen=True, slots=True)
class ChooseRate(Change):
    command = "rates"
    number: int
    carrier: str
    service: str


@dataclass(frozen=True, slots=True)
class ShippingLabel(Query):
    command = "label"
    number: int


@dataclass(frozen=True, slots=True)
class PackingSlip(Query):
    command = "slip"
    number: int


@dataclass(frozen=True, slots=True)
class StartPacking(Change):
    command = "pack"
    number: int


@dataclass(frozen=True, slots=True)
class Scan(Change):
    """One scanned code (a product barcode or a SKU) into the open pack session."""

    command = "scan"
    code: str


@dataclass(frozen=True, slots=True)
class DeliverOrder(Change):
    command = "deliver"
    number: int


@dataclass(frozen=True, slots=True)
class CancelOrder(Change):
    command = "cancel"
    number: int
    reason: str = ""
    items: tuple[tuple[str, int], ...] = ()  # SKU:QTY to cancel; empty: all that is unshipped


@dataclass(frozen=True, slots=True)
class HoldOrder(Change):
    command = "hold"
    number: int


@dataclass(frozen=True, slots=True)
class ReleaseOrder(Change):
    command = "release"
    number: int


@dataclass(frozen=True, slots=True)
class FlagOrder(Change):
    command = "flag"
    number: int
    flag: OrderFlag


@dataclass(frozen=True, slots=True)
class ShowStock(Query):
    command = "stock"
    sku: str


@dataclass(frozen=True, slots=True)
class ReceiveStock(Change):
    command = "receive"
    sku: str
    quantity: int
    warehouse: str | None = None


@dataclass(frozen=True, slots=True)
class AdjustStock(Change):
    """Correct a count: `mode` `+`, `-` or `=` `quantity` units of `sku` at `warehouse`."""

    command = "adjust"
    sku: str
    warehouse: str
    mode: str
    quantity: int
    reason: str


@dataclass(frozen=True, slots=True)
class LowStock(Query):
    command = "lowstock"


@dataclass(frozen=True, slots=True)
class ListReturns(Query):
    command = "returns"


@dataclass(frozen=True, slots=True)
class ReturnAction(Change):
    command = "return"
    action: ReturnDecision
    rma: int
    warehouse: str | None = None  # receive: where the units go back to
    amount: Decimal | None = None  # refund only: decimal in the order's currency


@dataclass(frozen=True, slots=True)
class PayOrder(Change):
    """Money received for an order: `amount` is a decimal in the order's currency."""

    command = "pay"
    number: int
    amount: Decimal
    method: str | None = None


@dataclass(frozen=True, slots=True)
class ShowCustomer(Query):
    command = "customer"
    email: str


@dataclass(frozen=True, slots=True)
class TopCustomers(Query):
    """Customers, most valuable first (lifetime, base currency, net of refunds)."""

    command = "top"
    n: int = 10
    by: CustomerRanking = "revenue"


@dataclass(frozen=True, slots=True)
class TopProducts(Query):
    """Products, best first over the last 30 days."""

    command = "top"
    n: int = 10
    by: ProductRanking = "revenue"


@dataclass(frozen=True, slots=True)
class Report(Query):
    command = "report"
    period: ReportPeriod = "today"


@dataclass(frozen=True, slots=True)
class PickList(Query):
    """A list to pick from; it does not move any order (starting to pick is `pick`)."""

    command = "picklist"
    strategy: PickStrategy
    warehouse: str | None = None
    batch_size: int | None = None


@dataclass(frozen=True, slots=True)
class PurchaseOrders(Query):
    command = "po"


@dataclass(frozen=True, slots=True)
class ApprovePurchaseOrder(Change):
    command = "po"
    id: int


@dataclass(frozen=True, slots=True)
class ShowFxRates(Query):
    command = "fx"


@dataclass(frozen=True, slots=True)
class SetFxRate(Change):
    """1 `currency` = `rate` base currency from today (the shop's time zone) on."""

    command = "fx"
    currency: str
    rate: Decimal


@dataclass(frozen=True, slots=True)
class SetStaffRole(Change):
    """`user_id` when the person was given as a mention or an id; otherwise `name`, the
    `@name` typed (Slack sends mentions unescaped unless the app asks), to look up."""

    command = "staff"
    required_role = Role.ADMIN
    user_id: str
    role: Role
    name: str = ""


StaffRequest: TypeAlias = (
    Help | ShowOrder | ListOrders | NewOrder | ShipOrder | DeliverOrder | CancelOrder
    | HoldOrder | ReleaseOrder | FlagOrder | ShowStock | ReceiveStock | AdjustStock | LowStock
    | ListReturns
    | ReturnAction | ShowCustomer | TopCustomers | TopProducts | Report | PickList
    | PurchaseOrders | ApprovePurchaseOrder | SetStaffRole | ShowFxRates | SetFxRate | ShowRates
    | ChooseRate | ShippingLabel | PackingSlip | StartPacking | Scan | PayOrder
)
