"""The staff service, shared by Slack and the console: a parsed request and who asks for it
→ a role check → a bus command or a read-model query → a `Reply` that each channel renders
from its own templates (`templates/slack/`, `templates/console/`).

Nothing here knows Slack or the terminal; buttons and forms arrive as the same requests.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Collection
from dataclasses import dataclass, field
from typing import Any, Literal

from channels import staff_requests as sr
from channels.staff_grammar import DEFAULT_ENABLED, UsageError, command_help, help_lines, parse
from domain.errors import DomainError, NotFound
from domain.inventory import commands as ic
from domain.messagebus import Actor, MessageBus
from domain.orders import commands as oc
from domain.orders.model import format_order_number
from domain.ports import StaffDirectory
from domain.queries import ReadModel, View
from domain.returns import commands as rc
from domain.returns.model import format_rma
from domain.staff import commands as stc
from domain.staff.model import Role

LIST_LIMIT = 20
OPEN_RETURNS = ("requested", "approved", "received")
# The buttons staff get, in this order, for what an order or a return allows next.
ORDER_BUTTONS = ("ship", "deliver", "hold", "release", "cancel")
RETURN_BUTTONS = ("approve", "reject", "receive", "refund")


@dataclass(frozen=True)
class StaffUser:
    """Who is asking: their id in the channel (a Slack user id, or "console"), their role,
    how Slack mentions them, and the actor written to the audit trail."""

    user_id: str
    role: Role
    actor: Actor
    mention: str


@dataclass(frozen=True)
class Subject:
    """What a message is about, so a channel can offer buttons for the next actions."""

    kind: Literal["order", "return"]
    id: int
    status: str
    actions: tuple[str, ...]


@dataclass(frozen=True)
class Reply:
    """What to answer: a template name and its context; `public` for changes (in the
    channel), else only to the asker. `form`: ask for a new order's name and address."""

    template: str
    context: dict[str, Any] = field(default_factory=dict)
    public: bool = False
    subject: Subject | None = None
    form: sr.NewOrder | None = None


@dataclass(frozen=True)
class Address:
    """What the new-order form asks for."""

    name: str
    line1: str
    city: str
    postal_code: str
    country: str
    phone: str | None = None

    def as_shipping_address(self) -> dict[str, str]:
        return {"name": self.name, "line1": self.line1, "city": self.city,
                "postal_code": self.postal_code, "country": self.country.upper()}


def _country(text: str) -> str:
    if len(text) != 2 or not text.isalpha() or not text.isascii():
        raise ValueError("Write the two-letter country code, like IT.")
    return text.upper()


def _text(what: str, longest: int) -> Callable[[str], str]:
    return lambda text: sr.parse_free_text(text, what, longest)


# What the new-order form asks, in order: field → (question, parser raising ValueError).
ADDRESS_QUESTIONS: dict[str, tuple[str, Callable[[str], str]]] = {
    "name": ("Customer name", _text("name", 200)),
    "line1": ("Address", _text("address", 200)),
    "city": ("City", _text("city", 200)),
    "postal_code": ("Postal code", _text("postal code", 32)),
    "country": ("Country (two letters, e.g. IT)", _country),
    "phone": ("Phone (optional)", _text("phone number", 40)),
}
ADDRESS_FIELDS = {name: parser for name, (_, parser) in ADDRESS_QUESTIONS.items()}
OPTIONAL_FIELDS = frozenset({"phone"})


def order_subject(order: View, role: Role) -> Subject | None:
    number = int(str(order["number"]).removeprefix("ORD-"))
    actions = tuple(a for a in ORDER_BUTTONS if a in order["allowed_actions"])
    if not role.covers(Role.OPERATOR):
        actions = ()
    return Subject("order", number, str(order["status"]), actions)


def return_subject(ret: View, role: Role) -> Subject:
    number = int(str(ret["rma"]).removeprefix("RMA-"))
    actions = tuple(a for a in RETURN_BUTTONS if a in ret["allowed_actions"])
    if not role.covers(Role.OPERATOR):
        actions = ()
    return Subject("return", number, str(ret["status"]), actions)


_Run = Callable[[Any, StaffUser], Awaitable[Reply]]


class StaffService:
    def __init__(self, bus: MessageBus, views: ReadModel, directory: StaffDirectory, *,
                 currency: str, enabled: Collection[str] = DEFAULT_ENABLED) -> None:
        self.bus = bus
        self.views = views
        self.directory = directory
        self.currency = currency
        self.enabled = frozenset(enabled)
        self._runs: dict[type, _Run] = {
            sr.Help: self._help, sr.ShowOrder: self._show_order, sr.ListOrders: self._orders,
            sr.NewOrder: self._new_order_form, sr.ShipOrder: self._order_change,
            sr.DeliverOrder: self._order_change, sr.CancelOrder: self._order_change,
            sr.HoldOrder: self._order_change, sr.ReleaseOrder: self._order_change,
            sr.FlagOrder: self._order_change, sr.ShowStock: self._stock,
            sr.ReceiveStock: self._receive, sr.LowStock: self._low_stock,
            sr.ListReturns: self._returns, sr.ReturnAction: self._return_action,
            sr.ShowCustomer: self._customer, sr.SetStaffRole: self._set_role,
        }

    async def handle_text(self, text: str, user: StaffUser, *, prefix: str) -> Reply:
        """One line of staff text, answered."""
        try:
            request = parse(text, self.enabled, prefix=prefix)
        except UsageError as problem:
            return Reply("usage", {"message": problem.message, "usage": problem.usage})
        if isinstance(request, sr.Help):
            return self._help_reply(request, prefix)
        return await self.execute(request, user)

    async def execute(self, request: sr.StaffRequest, user: StaffUser, *,
                      seen_status: str | None = None) -> Reply:
        """Run one request for `user`. `seen_status`: the status the asker saw (a button);
        when it changed meanwhile, nothing is done and the reply says so."""
        if not request.allowed_for(user.role):
            return self.refusal(type(request), user)
        run = self._runs.get(type(request))
        if run is None or request.command not in self.enabled:
            return Reply("usage", {"message": f"`{request.command}` is not available.",
                                   "usage": ""})
        try:
            if seen_status is not None and (stale := await self._stale(request, seen_status)):
                return stale
            return await run(request, user)
        except DomainError as problem:
            return Reply("error", {"message": problem.message})

    @staticmethod
    def refusal(request_type: type[sr.StaffRequestBase], user: StaffUser) -> Reply:
        """What someone whose role is too weak for `request_type` is told."""
        return Reply("not_allowed", {"command": request_type.command, "role": user.role.value,
                                     "needed": request_type.required_role.value})

    async def place_new_order(self, request: sr.NewOrder, address: Address, user: StaffUser,
                              *, external_id: str) -> Reply:
        """The new-order form, filled in: placed like an API order from `request.channel`."""
        if not request.allowed_for(user.role):
            return self.refusal(type(request), user)
        command = oc.PlaceOrder(
            external_id=external_id, channel=request.channel, currency=self.currency,
            customer=oc.CustomerDetails(request.email, address.name, address.phone),
            shipping_address=address.as_shipping_address(),
            lines=tuple(oc.LineRequest(sku, quantity) for sku, quantity in request.items))
        try:
            placed: oc.PlaceOrderResult = await self.bus.handle(command, user.actor)
        except DomainError as problem:
            return Reply("error", {"message": problem.message})
        return await self._changed_order(placed.order_id, "placed", user)

    # -- queries ---------------------------------------------------------------------------

    def _help_reply(self, request: sr.Help, prefix: str) -> Reply:
        if request.topic is not None:
            entry = command_help(request.topic)
            return Reply("help", {"lines": [], "topic": entry, "prefix": prefix})
        return Reply("help", {"lines": help_lines(self.enabled, prefix), "topic": None,
                              "prefix": prefix})

    async def _help(self, request: sr.Help, user: StaffUser) -> Reply:
        return self._help_reply(request, "")

    async def _show_order(self, request: sr.ShowOrder, user: StaffUser) -> Reply:
        order = await self.views.order(request.number)
        if order is None:
            raise NotFound("Order", format_order_number(request.number))
        return Reply("order", {"order": order}, subject=order_subject(order, user.role))

    async def _orders(self, request: sr.ListOrders, user: StaffUser) -> Reply:
        found, more = await self.views.orders(status=request.status, limit=LIST_LIMIT)
        return Reply("orders", {"orders": found, "status": request.status,
                                "more": more is not None})

    async def _stock(self, request: sr.ShowStock, user: StaffUser) -> Reply:
        levels = await self.views.inventory(request.sku)
        if levels is None:
            raise NotFound("Product", request.sku)
        return Reply("stock", {"sku": request.sku, "levels": levels})

    async def _low_stock(self, request: sr.LowStock, user: StaffUser) -> Reply:
        return Reply("lowstock", {"items": await self.views.low_stock()})

    async def _returns(self, request: sr.ListReturns, user: StaffUser) -> Reply:
        found = [r for status in OPEN_RETURNS
                 for r in await self.views.returns(status=status, limit=LIST_LIMIT)]
        found.sort(key=lambda r: str(r["rma"]))
        return Reply("returns", {"returns": found[:LIST_LIMIT]})

    async def _customer(self, request: sr.ShowCustomer, user: StaffUser) -> Reply:
        customer = await self.views.customer(request.email)
        if customer is None:
            raise NotFound("Customer", request.email)
        recent, _ = await self.views.orders(customer=request.email, limit=5)
        return Reply("customer", {"customer": customer, "orders": recent})

    async def _new_order_form(self, request: sr.NewOrder, user: StaffUser) -> Reply:
        return Reply("new_order_form", {"request": request}, form=request)

    # -- changes ---------------------------------------------------------------------------

    async def _order_change(self, request: sr.StaffRequest, user: StaffUser) -> Reply:
        command, verb = _order_command(request)
        changed: oc.OrderChanged = await self.bus.handle(command, user.actor)
        extra: dict[str, Any] = {}
        if isinstance(request, sr.CancelOrder):
            extra = {"reason": request.reason}
        if isinstance(request, sr.FlagOrder):
            extra = {"flag": request.flag, "already": not changed.changed}
        return await self._changed_order(changed.order_id, verb, user, **extra)

    async def _changed_order(self, order_id: int, verb: str, user: StaffUser,
                             **extra: Any) -> Reply:
        order = await self.views.order(order_id)
        assert order is not None
        return Reply("order_changed", {"order": order, "verb": verb, "by": user.mention, **extra},
                     public=True, subject=order_subject(order, user.role))

    async def _receive(self, request: sr.ReceiveStock, user: StaffUser) -> Reply:
        received: ic.StockReceived = await self.bus.handle(
            ic.ReceiveStock(request.sku, request.warehouse, request.quantity), user.actor)
        allocated = [format_order_number(o) for o in received.allocated_orders]
        return Reply("stock_received", {"received": received, "quantity": request.quantity,
                                        "allocated": allocated, "by": user.mention},
                     public=True)

    async def _return_action(self, request: sr.ReturnAction, user: StaffUser) -> Reply:
        await self.bus.handle(rc.DecideReturn(request.rma, request.action), user.actor)
        ret = await self.views.return_(request.rma)
        assert ret is not None
        return Reply("return_changed", {"ret": ret, "verb": request.action,
                                        "by": user.mention},
                     public=True, subject=return_subject(ret, user.role))

    async def _set_role(self, request: sr.SetStaffRole, user: StaffUser) -> Reply:
        result: stc.StaffRoleSet = await self.bus.handle(
            stc.SetStaffRole(request.user_id, request.role), user.actor)
        self.directory.forget(request.user_id)
        return Reply("staff_set", {"user_id": result.user_id, "role": result.role.value,
                                   "previous": result.previous, "by": user.mention},
                     public=True)

    async def _stale(self, request: sr.StaffRequest, seen: str) -> Reply | None:
        """A reply when what the button acts on is no longer in the status it showed."""
        if isinstance(request, sr.ReturnAction):
            ret = await self.views.return_(request.rma)
            if ret is None:
                raise NotFound("Return", format_rma(request.rma))
            current = str(ret["status"])
            name = str(ret["rma"])
        else:
            order = await self.views.order(getattr(request, "number", 0))
            if order is None:
                raise NotFound("Order", format_order_number(getattr(request, "number", 1)))
            current, name = str(order["status"]), str(order["number"])
        if current == seen:
            return None
        return Reply("stale", {"name": name, "seen": seen, "current": current})


def _order_command(request: sr.StaffRequest) -> tuple[object, str]:
    """The bus command of an order change, and what it did in words."""
    match request:
        case sr.ShipOrder(number=n, carrier=carrier, tracking=tracking, eta=eta):
            return oc.ShipOrder(n, carrier, tracking, eta), "shipped"
        case sr.DeliverOrder(number=n):
            return oc.DeliverOrder(n), "delivered"
        case sr.CancelOrder(number=n, reason=reason):
            return oc.CancelOrder(n, reason), "cancelled"
        case sr.HoldOrder(number=n):
            return oc.HoldOrder(n), "put on hold"
        case sr.ReleaseOrder(number=n):
            return oc.ReleaseOrder(n), "released"
        case sr.FlagOrder(number=n, flag=flag):
            return oc.FlagOrder(n, flag), "flagged"
    raise TypeError(f"not an order change: {request!r}")
