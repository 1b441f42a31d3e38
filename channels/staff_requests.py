"""What staff can ask for, one frozen dataclass per command of the staff grammar, and the
values those requests carry (order and RMA numbers, SKUs, quantities, e-mails, Slack users).

Standard library and the domain only. The text grammar that builds these is
`channels.staff_grammar`.
The value parsers raise `ValueError` with a message written for a person.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import ClassVar, Literal, TypeAlias, get_args

from domain.accounting.fx import parse_rate
from domain.errors import ValidationError
from domain.money import CURRENCIES
from domain.staff.model import Role as Role  # re-exported for the grammar

MAX_NUMBER = 2**31 - 1  # order, RMA and purchase-order numbers fit a 32-bit column
MAX_QUANTITY = 1_000_000

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
    | HoldOrder | ReleaseOrder | FlagOrder | ShowStock | ReceiveStock | LowStock | ListReturns
    | ReturnAction | ShowCustomer | TopCustomers | TopProducts | Report | PickList
    | PurchaseOrders | ApprovePurchaseOrder | SetStaffRole | ShowFxRates | SetFxRate | ShowRates
    | ChooseRate | ShippingLabel | PackingSlip | StartPacking | Scan | PayOrder
)


# --- values ---------------------------------------------------------------------------------

_ORDER_NUMBER = re.compile(r"(?:ORD-?|#)?([0-9]+)", re.IGNORECASE)
_RMA_NUMBER = re.compile(r"(?:RMA-?|#)?([0-9]+)", re.IGNORECASE)
_PO_NUMBER = re.compile(r"(?:PO-?|#)?([0-9]+)", re.IGNORECASE)
_WHOLE_NUMBER = re.compile(r"([+-]?)([0-9]+)")
_CODE = re.compile(r"[A-Za-z0-9._-]{1,64}")
_EMAIL = re.compile(
    r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
    r"@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z][A-Za-z0-9-]{0,61}[A-Za-z0-9]"
)
_SLACK_USER = re.compile(r"<@([UW][A-Z0-9]{2,31})(?:\|[^>]*)?>|@?([UW][A-Z0-9]{2,31})")
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def shown(text: str) -> str:
    """`text` quoted for a message: back-ticked, and cut short when long."""
    visible = text if len(text) <= 40 else text[:39] + "…"
    return "`" + visible.replace("`", "'") + "`"


def _prefixed_number(text: str, pattern: re.Pattern[str]) -> int | None:
    match = pattern.fullmatch(text.strip())
    if match is None:
        return None
    digits = match.group(1).lstrip("0")
    if not digits or len(digits) > len(str(MAX_NUMBER)) or int(digits) > MAX_NUMBER:
        return None
    return int(digits)


def parse_order_number(text: str) -> int:
    """`ORD-000123`, `ord-123`, `#123` or `123` → 123."""
    number = _prefixed_number(text, _ORDER_NUMBER)
    if number is None:
        raise ValueError(f"{shown(text)} is not an order number; write ORD-000123 or 123.")
    return number


def parse_rma(text: str) -> int:
    """`RMA-000045`, `rma-45`, `#45` or `45` → 45."""
    number = _prefixed_number(text, _RMA_NUMBER)
    if number is None:
        raise ValueError(f"{shown(text)} is not a return number; write RMA-000045 or 45.")
    return number


def parse_purchase_order_id(text: str) -> int:
    """`PO-000012`, `#12` or `12` → 12."""
    number = _prefixed_number(text, _PO_NUMBER)
    if number is None:
        raise ValueError(f"{shown(text)} is not a purchase order number; write 12.")
    return number


def parse_positive(text: str, maximum: int, what: str = "quantity") -> int:
    """A whole number from 1 to `maximum`; `what` names it in the message."""
    match = _WHOLE_NUMBER.fullmatch(text.strip())
    if match is None:
        raise ValueError(f"{shown(text)} is not a {what}; write a whole number like 3.")
    sign, digits = match.group(1), match.group(2).lstrip("0")
    if sign == "-" or not digits:
        raise ValueError(f"{shown(text)} is not a positive {what}.")
    if len(digits) > len(str(maximum)) or int(digits) > maximum:
        raise ValueError(f"{shown(text)} is more than the maximum {what} of {maximum:,}.")
    return int(digits)


def parse_quantity(text: str) -> int:
    return parse_positive(text, MAX_QUANTITY)


def parse_sku(text: str) -> str:
    """Letters, digits, `-`, `_`, `.` (1 to 64), case-insensitive; normalised to upper case."""
    if _CODE.fullmatch(text) is None:
        raise ValueError(f"{shown(text)} is not a SKU; use letters, digits, - _ and . only.")
    return text.upper()


def parse_item(text: str) -> tuple[str, int]:
    """`MUG-01:2` → ("MUG-01", 2)."""
    sku, colon, quantity = text.partition(":")
    if not colon:
        raise ValueError(f"{shown(text)} is not an item; write SKU:QTY, like MUG-01:2.")
    return parse_sku(sku), parse_quantity(quantity)


def parse_warehouse(text: str) -> str:
    """A warehouse code, kept as written (the same characters as a SKU)."""
    if _CODE.fullmatch(text) is None:
        raise ValueError(f"{shown(text)} is not a warehouse code.")
    return text


def parse_email(text: str) -> str:
    """A pragmatic check of an e-mail address; normalised to lower case."""
    local, _, _domain = text.partition("@")
    if len(text) > 254 or len(local) > 64 or _EMAIL.fullmatch(text) is None:
        raise ValueError(f"{shown(text)} is not an e-mail address.")
    return text.lower()


def parse_slack_user(text: str) -> str:
    """`<@U123ABC>`, `<@U123ABC|name>`, `@U123ABC` or `U123ABC` → `U123ABC`."""
    match = _SLACK_USER.fullmatch(text.strip())
    if match is None:
        raise ValueError(
            f"{shown(text)} is not a Slack user; mention them with @ or give their id,"
            " like U0123ABCD."
        )
    return match.group(1) or match.group(2)


_HANDLE = re.compile(r"@(?P<name>[^\s<>@`*_~][^<>@`]{0,79})")


def parse_person(text: str) -> tuple[str, str]:
    """A Slack user as (user_id, "") from a mention or an id, or ("", name) from `@name`
    (an unescaped mention: a handle, display name or real name, spaces allowed)."""
    text = " ".join(text.split())
    if _SLACK_USER.fullmatch(text) is not None:
        return parse_slack_user(text), ""
    match = _HANDLE.fullmatch(text)
    if match is None:
        raise ValueError(
            f"{shown(text)} is not a Slack user; mention them with @ or give their id,"
            " like U0123ABCD."
        )
    return "", match.group("name")


def parse_free_text(text: str, what: str, longest: int) -> str:
    """Printable text of 1 to `longest` characters (a carrier, a tracking number)."""
    text = text.strip()
    if not text or len(text) > longest or not text.isprintable():
        raise ValueError(f"{shown(text)} is not a {what}.")
    return text


_AMOUNT = re.compile(r"[0-9]{1,12}(?:[.,][0-9]{1,4})?")


def parse_amount(text: str) -> Decimal:
    """`18.90`, `18,90` or `18` → a positive decimal amount (its currency's digits are
    checked against the order it is for)."""
    if _AMOUNT.fullmatch(text.strip()) is None:
        raise ValueError(f"{shown(text)} is not an amount; write it like 18.90.")
    try:
        amount = Decimal(text.strip().replace(",", "."))
    except InvalidOperation:
        raise ValueError(f"{shown(text)} is not an amount; write it like 18.90.") from None
    if amount <= 0:
        raise ValueError(f"{shown(text)} is not a positive amount.")
    return amount


def parse_date(text: str) -> date:
    """`YYYY-MM-DD` and nothing else."""
    if _ISO_DATE.fullmatch(text) is not None:
        try:
            return date.fromisoformat(text)
        except ValueError:
            pass
    raise ValueError(f"{shown(text)} is not a date; write YYYY-MM-DD.")


def parse_currency(text: str) -> str:
    """An ISO 4217 code in any case (`usd`) → `USD`."""
    code = text.strip().upper()
    if code not in CURRENCIES:
        raise ValueError(f"{shown(text)} is not a currency; write an ISO 4217 code like USD.")
    return code


def parse_fx_rate(text: str) -> Decimal:
    """A positive decimal (`1.0842`; a decimal comma is read too) with at most 10 decimals."""
    try:
        return parse_rate(text.strip().replace(",", "."))
    except ValidationError as problem:
        raise ValueError(f"{shown(text)} is not a rate: it {problem.reason}.") from None
