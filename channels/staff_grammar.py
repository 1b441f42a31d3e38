"""The staff command grammar, shared by Slack (`/oms …`) and the terminal console.

`parse(text)` turns one line into a `StaffRequest` (see `channels.staff_requests`) or raises
`UsageError`, the only exception it raises, carrying a message for a person and the
command's usage line. Standard library only; nothing here knows Slack beyond its text escapes.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection
from dataclasses import dataclass
from typing import TypeVar

from channels.staff_requests import (
    CUSTOMER_RANKINGS,
    ORDER_CHANNELS,
    ORDER_FLAGS,
    ORDER_STATUSES,
    PICK_STRATEGIES,
    PRODUCT_RANKINGS,
    REPORT_PERIODS,
    RETURN_DECISIONS,
    AdjustStock,
    ApprovePurchaseOrder,
    CancelOrder,
    ChooseRate,
    DeliverOrder,
    FlagOrder,
    Help,
    HoldOrder,
    ListOrders,
    ListReturns,
    LowStock,
    NewOrder,
    OrderChannel,
    PackingSlip,
    PayOrder,
    PickList,
    PurchaseOrders,
    ReceiveStock,
    ReleaseOrder,
    Report,
    ReturnAction,
    Role,
    Scan,
    SetFxRate,
    SetStaffRole,
    ShipOrder,
    ShippingLabel,
    ShowCustomer,
    ShowFxRates,
    ShowOrder,
    ShowRates,
    ShowStock,
    StaffRequest,
    StartPacking,
    TopCustomers,
    TopProducts,
    parse_adjustment,
    parse_amount,
    parse_currency,
    parse_date,
    parse_email,
    parse_free_text,
    parse_fx_rate,
    parse_item,
    parse_order_number,
    parse_person,
    parse_positive,
    parse_purchase_order_id,
    parse_quantity,
    parse_rma,
    parse_sku,
    parse_warehouse,
    shown,
)
from domain.orders.model import format_order_number
from domain.returns.model import format_rma

__all__ = [
    "COMMAND_NAMES", "DEFAULT_ENABLED", "DEFAULT_PREFIX", "HELP", "CommandHelp", "UsageError",
    "command_help", "decode_slack_text", "format_order_number", "format_rma", "help_lines",
    "parse", "parse_order_number", "parse_rma", "usage",
]

DEFAULT_PREFIX = "/oms "
MAX_TOP = 100
MAX_REASON = 500
MAX_BATCH = 500
_T = TypeVar("_T")


@dataclass(frozen=True, slots=True)
class CommandHelp:
    name: str
    usage: str  # without the prefix: "ship N [CARRIER TRACKING] [eta YYYY-MM-DD]"
    summary: str
    section: str


HELP: tuple[CommandHelp, ...] = tuple(CommandHelp(*row) for row in (
    ("order", "order N", "Show an order, its lines and shipments.", "Orders"),
    ("orders", "orders [STATUS]", "List recent orders, optionally of one status.", "Orders"),
    ("new", "new EMAIL SKU:QTY [SKU:QTY…] [phone|store]",
     "Take an order for a customer; a form asks for name and address.", "Orders"),
    ("ship", "ship N [CARRIER TRACKING] [eta YYYY-MM-DD]",
     "Mark an order shipped; without a carrier, buy the chosen rate and label.", "Orders"),
    ("rates", "rates N [CARRIER SERVICE]",
     "Carrier rates for each parcel, cheapest first; or choose one.", "Orders"),
    ("label", "label N", "The shipping label PDF of a shipped order.", "Orders"),
    ("slip", "slip N", "The packing slip PDF of an order.", "Orders"),
    ("pack", "pack N", "Start packing an order: then scan each item.", "Orders"),
    ("scan", "scan CODE", "Check a scanned item into the parcel being packed.", "Orders"),
    ("deliver", "deliver N", "Mark an order delivered.", "Orders"),
    ("cancel", "cancel N [SKU:QTY…] [REASON…]",
     "Cancel what has not shipped (or only those units) and release its stock.", "Orders"),
    ("hold", "hold N", "Put an order on hold.", "Orders"),
    ("release", "release N", "Release an order from hold.", "Orders"),
    ("flag", "flag N vip|gift|replacement", "Flag an order.", "Orders"),
    ("stock", "stock SKU", "Show stock of a product in each warehouse.", "Stock"),
    ("receive", "receive SKU QTY [WAREHOUSE]", "Add received stock to a warehouse.", "Stock"),
    ("adjust", "adjust SKU WAREHOUSE +N|-N|=N REASON…",
     "Correct a count (damaged, lost, found, a stock take); never below what is reserved.",
     "Stock"),
    ("lowstock", "lowstock", "List products at or below their reorder point.", "Stock"),
    ("picklist", "picklist single|batch|zone|wave [WAREHOUSE [BATCH SIZE]]",
     "Build a pick list for orders waiting to ship.", "Stock"),
    ("po", "po [approve ID]", "List draft purchase orders, or approve one.", "Stock"),
    ("returns", "returns", "List open returns.", "Returns"),
    ("return", "return approve|reject|receive|refund RMA [WAREHOUSE|AMOUNT]",
     "Act on a return (receive: restock at WAREHOUSE instead of where it shipped from; "
     "refund: pay AMOUNT instead of the returned goods' value).", "Returns"),
    ("pay", "pay N AMOUNT [METHOD]", "Record money received for an order.", "Orders"),
    ("customer", "customer EMAIL", "Show a customer, their orders and value.", "Customers"),
    ("top", "top [N] [revenue|profit]  ·  top products [N] [revenue|profit|units]",
     "Most valuable customers (lifetime), or best-selling products (30 days).", "Reports"),
    ("report", "report [today|week|month]", "Sales report for a period.", "Reports"),
    ("fx", "fx [CURRENCY RATE]",
     "Show exchange rates, or set 1 CURRENCY = RATE base currency from today.", "Reports"),
    ("staff", "staff @user viewer|operator|admin", "Set a staff member's role.", "Staff"),
    ("help", "help [COMMAND]", "List commands, or explain one.", "Help"),
))
COMMAND_NAMES: tuple[str, ...] = tuple(entry.name for entry in HELP)
# Channels pass the commands they serve; every command of CONTRACT §5 is served now.
DEFAULT_ENABLED: frozenset[str] = frozenset(COMMAND_NAMES)
_HELP_BY_NAME = {entry.name: entry for entry in HELP}


class UsageError(Exception):
    """A line staff typed that is not a valid command: what is wrong, and how to write it."""

    def __init__(self, message: str, usage: str) -> None:
        super().__init__(message, usage)
        self.message = message
        self.usage = usage

    def __str__(self) -> str:
        return self.message


def command_help(name: str) -> CommandHelp:
    """The help entry of a command; `KeyError` for a name that is not a command."""
    return _HELP_BY_NAME[name]


def usage(command_name: str, prefix: str = DEFAULT_PREFIX) -> str:
    """`usage("ship")` → "/oms ship N [CARRIER TRACKING] [eta YYYY-MM-DD]"."""
    return prefix + command_help(command_name).usage


def help_lines(enabled: Collection[str] | None = None, prefix: str = DEFAULT_PREFIX) -> list[str]:
    """One heading line per section, then "  <usage> — <summary>" per enabled command."""
    names = _enabled_names(enabled)
    lines: list[str] = []
    section = ""
    for entry in HELP:
        if entry.name not in names:
            continue
        if entry.section != section:
            section = entry.section
            lines.append(section)
        lines.append(f"  {prefix}{entry.usage} — {entry.summary}")
    return lines


def _enabled_names(enabled: Collection[str] | None) -> frozenset[str]:
    if enabled is None:
        return frozenset(COMMAND_NAMES)
    return frozenset(enabled) & frozenset(COMMAND_NAMES) | {"help"}


# --- text -----------------------------------------------------------------------------------

_SLACK_MARKUP = re.compile(r"<([^<>|]*)(?:\|([^<>]*))?>")
_TOKEN = re.compile(r"[\"“](?P<quoted>[^\"“”]*)[\"”](?=\s|$)|(?P<word>\S+)")
_QUOTES = (('"', '"'), ("“", "”"), ("'", "'"), ("‘", "’"))


def decode_slack_text(text: str) -> str:
    """Undo Slack's escaping: `<mailto:a@b.c|a@b.c>` → a@b.c, `<@U1|ann>` → <@U1>,
    `<http://x.it|x.it>` → x.it, `&lt; &gt; &amp;` → `< > &`."""
    def unwrap(match: re.Match[str]) -> str:
        target, label = match.group(1), match.group(2)
        if target.startswith("@"):
            return f"<{target}>"
        if target.lower().startswith("mailto:"):
            return target[len("mailto:"):]
        if "://" in target:
            return label or target
        return match.group(0)

    text = _SLACK_MARKUP.sub(unwrap, text)
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


@dataclass(frozen=True, slots=True)
class _Token:
    value: str
    start: int  # where it starts in the line, for "the rest of the line"


def _tokenise(line: str) -> list[_Token]:
    return [
        _Token(match.group("word") or match.group("quoted") or "", match.start())
        for match in _TOKEN.finditer(line)
    ]


def _unquote(text: str) -> str:
    for opening, closing in _QUOTES:
        if len(text) >= 2 and text.startswith(opening) and text.endswith(closing):
            return text[1:-1]
    return text


@dataclass(frozen=True, slots=True)
class _Invocation:
    """One command's words after its name, and how to complain about them."""

    name: str
    line: str
    tokens: list[_Token]
    prefix: str
    enabled: frozenset[str]

    def __len__(self) -> int:
        return len(self.tokens)

    def word(self, index: int) -> str:
        return self.tokens[index].value

    def error(self, message: str) -> UsageError:
        return UsageError(message, usage(self.name, self.prefix))

    def value(self, index: int, parser: Callable[[str], _T]) -> _T:
        try:
            return parser(self.word(index))
        except ValueError as problem:
            raise self.error(str(problem)) from None

    def choice(self, index: int, choices: tuple[_T, ...], what: str) -> _T:
        word = self.word(index).lower()
        for choice in choices:
            if choice == word:
                return choice
        options = ", ".join(str(choice) for choice in choices)
        raise self.error(f"{shown(self.word(index))} is not {what}; use one of: {options}.")

    def require(self, *nouns: str) -> None:
        """Complain unless there is a word for each noun ("an order number", "a carrier")."""
        missing = nouns[len(self.tokens):]
        if missing:
            listed = ", ".join(missing[:-1]) + " and " if len(missing) > 1 else ""
            raise self.error(f"`{self.name}` needs {listed}{missing[-1]}.")

    def at_most(self, count: int) -> None:
        if len(self.tokens) > count:
            raise self.error(f"{shown(self.word(count))} is one word too many for `{self.name}`.")

    def rest(self, index: int) -> str:
        """The line from word `index` on, as written, with one pair of quotes taken off."""
        if index >= len(self.tokens):
            return ""
        return " ".join(_unquote(self.line[self.tokens[index].start:].strip()).split())


# --- commands -------------------------------------------------------------------------------

_ORDER = "an order number"


def _help(words: _Invocation) -> Help:
    words.at_most(1)
    if not len(words):
        return Help()
    topic = words.word(0).lower()
    if topic not in words.enabled:
        raise words.error(f"Unknown command {shown(words.word(0))}.")
    return Help(topic)


_OneOrder = (ShowOrder | DeliverOrder | HoldOrder | ReleaseOrder | ShippingLabel | PackingSlip
             | StartPacking)


def _one_order(request: type[_OneOrder]) -> _Parser:
    def parse_one(words: _Invocation) -> StaffRequest:
        words.require(_ORDER)
        words.at_most(1)
        return request(words.value(0, parse_order_number))

    return parse_one


def _orders(words: _Invocation) -> ListOrders:
    if not len(words):
        return ListOrders()
    written = "_".join(token.value for token in words.tokens).lower().replace("-", "_")
    status = "cancelled" if written == "canceled" else written
    for known in ORDER_STATUSES:
        if known == status:
            return ListOrders(known)
    options = ", ".join(ORDER_STATUSES)
    raise words.error(f"{shown(words.rest(0))} is not an order status; use one of: {options}.")


def _new(words: _Invocation) -> NewOrder:
    email = words.value(0, parse_email) if len(words) else ""
    words.require("the customer's e-mail", "at least one item written SKU:QTY")
    last = len(words) - 1
    channel: OrderChannel = "phone"
    if last > 1 and words.word(last).lower() in ORDER_CHANNELS:
        channel = words.choice(last, ORDER_CHANNELS, "a channel")
        last -= 1
    items = tuple(words.value(index, parse_item) for index in range(1, last + 1))
    return NewOrder(email, items, channel)


def _ship(words: _Invocation) -> ShipOrder:
    words.require(_ORDER)
    number = words.value(0, parse_order_number)
    if len(words) == 1:
        return ShipOrder(number)
    words.require(_ORDER, "a carrier", "a tracking number")
    carrier = words.value(1, lambda text: parse_free_text(text, "carrier", 64))
    tracking = words.value(2, lambda text: parse_free_text(text, "tracking number", 100))
    if len(words) == 3:
        return ShipOrder(number, carrier, tracking)
    if words.word(3).lower() != "eta":
        raise words.error(f"{shown(words.word(3))} is unexpected; write `eta YYYY-MM-DD` there.")
    words.require(_ORDER, "a carrier", "a tracking number", "eta", "a date written YYYY-MM-DD")
    words.at_most(5)
    return ShipOrder(number, carrier, tracking, words.value(4, parse_date))


_ITEM = re.compile(r"[A-Za-z0-9._-]+:[0-9]+")


def _cancel(words: _Invocation) -> CancelOrder:
    words.require(_ORDER)
    first = 1
    while first < len(words) and _ITEM.fullmatch(words.word(first)):
        first += 1
    items = tuple(words.value(index, parse_item) for index in range(1, first))
    reason = words.rest(first) if first < len(words) else ""
    if len(reason) > MAX_REASON:
        raise words.error(f"The reason is too long; keep it under {MAX_REASON} characters.")
    return CancelOrder(words.value(0, parse_order_number), reason, items)


def _flag(words: _Invocation) -> FlagOrder:
    words.require(_ORDER, "a flag (vip, gift or replacement)")
    words.at_most(2)
    return FlagOrder(words.value(0, parse_order_number), words.choice(1, ORDER_FLAGS, "a flag"))


def _stock(words: _Invocation) -> ShowStock:
    words.require("a SKU")
    words.at_most(1)
    return ShowStock(words.value(0, parse_sku))


def _receive(words: _Invocation) -> ReceiveStock:
    words.require("a SKU", "a quantity")
    words.at_most(3)
    warehouse = words.value(2, parse_warehouse) if len(words) == 3 else None
    return ReceiveStock(words.value(0, parse_sku), words.value(1, parse_quantity), warehouse)


def _adjust(words: _Invocation) -> AdjustStock:
    words.require("a SKU", "a warehouse", "a change (+N, -N or =N)", "a reason")
    mode, quantity = words.value(2, parse_adjustment)
    reason = words.rest(3)
    if len(reason) > MAX_REASON:
        raise words.error(f"The reason is too long; keep it under {MAX_REASON} characters.")
    return AdjustStock(words.value(0, parse_sku), words.value(1, parse_warehouse), mode,
                       quantity, reason)


def _no_words(request: type[LowStock | ListReturns]) -> _Parser:
    def parse_bare(words: _Invocation) -> StaffRequest:
        words.at_most(0)
        return request()

    return parse_bare


def _return(words: _Invocation) -> ReturnAction:
    words.require("an action (approve, reject, receive or refund)", "a return number")
    action = words.choice(0, RETURN_DECISIONS, "a return action")
    words.at_most(3 if action in ("receive", "refund") else 2)
    extra = len(words) == 3
    warehouse = words.value(2, parse_warehouse) if extra and action == "receive" else None
    amount = words.value(2, parse_amount) if extra and action == "refund" else None
    return ReturnAction(action, words.value(1, parse_rma), warehouse, amount)


def _pay(words: _Invocation) -> PayOrder:
    words.require(_ORDER, "an amount")
    words.at_most(3)
    method = (words.value(2, lambda text: parse_free_text(text, "payment method", 64))
              if len(words) == 3 else None)
    return PayOrder(words.value(0, parse_order_number), words.value(1, parse_amount), method)


def _customer(words: _Invocation) -> ShowCustomer:
    words.require("an e-mail address")
    words.at_most(1)
    return ShowCustomer(words.value(0, parse_email))


def _top(words: _Invocation) -> TopCustomers | TopProducts:
    """`top [N] [revenue|profit]` (customers); `top products [N] [revenue|profit|units]`."""
    products = bool(len(words)) and words.word(0).lower() in ("products", "product")
    first = 1 if products else 0
    words.at_most(first + 2)
    n, index = 10, first
    if index < len(words) and words.word(index)[:1].isdigit():
        n = words.value(index, lambda text: parse_positive(text, MAX_TOP, "number"))
        index += 1
    words.at_most(index + 1)
    ranked = index < len(words)
    if products:
        return TopProducts(n, words.choice(index, PRODUCT_RANKINGS, "a ranking")) if ranked \
            else TopProducts(n)
    return TopCustomers(n, words.choice(index, CUSTOMER_RANKINGS, "a ranking")) if ranked \
        else TopCustomers(n)


def _report(words: _Invocation) -> Report:
    words.at_most(1)
    return Report(words.choice(0, REPORT_PERIODS, "a period")) if len(words) else Report()


def _picklist(words: _Invocation) -> PickList:
    words.require("a strategy (single, batch, zone or wave)")
    words.at_most(3)
    strategy = words.choice(0, PICK_STRATEGIES, "a pick strategy")
    warehouse = words.value(1, parse_warehouse) if len(words) >= 2 else None
    if len(words) < 3:
        return PickList(strategy, warehouse)
    size = words.value(2, lambda text: parse_positive(text, MAX_BATCH, "batch size"))
    return PickList(strategy, warehouse, size)


def _rates(words: _Invocation) -> ShowRates | ChooseRate:
    words.require(_ORDER)
    number = words.value(0, parse_order_number)
    if len(words) == 1:
        return ShowRates(number)
    words.require(_ORDER, "a carrier", "a service")
    words.at_most(3)
    return ChooseRate(number, words.value(1, parse_warehouse), words.value(2, parse_warehouse))


def _scan(words: _Invocation) -> Scan:
    words.require("a scanned code")
    words.at_most(1)
    return Scan(words.value(0, lambda text: parse_free_text(text, "code", 64)))


def _po(words: _Invocation) -> PurchaseOrders | ApprovePurchaseOrder:
    if not len(words):
        return PurchaseOrders()
    if words.word(0).lower() != "approve":
        raise words.error(f"{shown(words.word(0))} is unexpected; write `po` or `po approve ID`.")
    words.require("approve", "a purchase order number")
    words.at_most(2)
    return ApprovePurchaseOrder(words.value(1, parse_purchase_order_id))


def _staff(words: _Invocation) -> SetStaffRole:
    words.require("a person (@user)", "a role (viewer, operator or admin)")
    if not words.word(0).startswith("@"):  # only an unescaped `@Ann Smith` has spaces
        words.at_most(2)
    role = words.choice(len(words) - 1, tuple(Role), "a role")
    person = " ".join(words.word(i) for i in range(len(words) - 1))
    try:
        user_id, name = parse_person(person)
    except ValueError as problem:
        raise words.error(str(problem)) from None
    return SetStaffRole(user_id, role, name)


def _fx(words: _Invocation) -> ShowFxRates | SetFxRate:
    if not len(words):
        return ShowFxRates()
    words.require("a currency (ISO 4217, like USD)", "a rate (1 CURRENCY = RATE base currency)")
    words.at_most(2)
    return SetFxRate(words.value(0, parse_currency), words.value(1, parse_fx_rate))


_Parser = Callable[[_Invocation], StaffRequest]
_PARSERS: dict[str, _Parser] = {
    "help": _help, "order": _one_order(ShowOrder), "orders": _orders, "new": _new,
    "ship": _ship, "deliver": _one_order(DeliverOrder), "cancel": _cancel,
    "hold": _one_order(HoldOrder), "release": _one_order(ReleaseOrder), "flag": _flag,
    "stock": _stock, "receive": _receive, "adjust": _adjust, "lowstock": _no_words(LowStock),
    "returns": _no_words(ListReturns), "return": _return, "customer": _customer, "top": _top,
    "report": _report, "picklist": _picklist, "po": _po, "staff": _staff, "fx": _fx,
    "pay": _pay,
    "rates": _rates, "label": _one_order(ShippingLabel), "slip": _one_order(PackingSlip),
    "pack": _one_order(StartPacking), "scan": _scan,
}


def parse(
    text: str, enabled: Collection[str] | None = None, *, prefix: str = DEFAULT_PREFIX
) -> StaffRequest:
    """One line of staff text → its request. Raises `UsageError`, and nothing else.

    `enabled` limits the commands (None: all); `help` is always on. A disabled command is
    answered as unknown. `prefix` is put before usage lines in errors ("" on the console).
    """
    line = decode_slack_text(text)
    tokens = _tokenise(line)
    if tokens and tokens[0].value.lower() == "/oms":
        tokens = tokens[1:]
    if not tokens:
        return Help()
    name = tokens[0].value.lower()
    names = _enabled_names(enabled)
    if name not in names:
        raise UsageError(f"Unknown command {shown(tokens[0].value)}.", usage("help", prefix))
    return _PARSERS[name](_Invocation(name, line, tokens[1:], prefix, names))
