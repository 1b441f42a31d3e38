"""The staff service, shared by Slack and the console: a parsed request and who asks for it
→ a role check → a bus command or a read-model query → a `Reply` that each channel renders
from its own templates (`templates/slack/`, `templates/console/`).

Nothing here knows Slack or the terminal; buttons and forms arrive as the same requests.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Collection
from datetime import date
from typing import Any
from zoneinfo import ZoneInfo

from channels import staff_requests as sr
from channels.people import PeopleDirectory
from channels.staff_fulfilment import FulfilmentDesk, picklist_document
from channels.staff_grammar import DEFAULT_ENABLED, UsageError, command_help, help_lines, parse
from channels.staff_replies import (
    Address,
    Reply,
    StaffUser,
    order_subject,
    po_subject,
    return_subject,
)
from channels.staff_reports import report_reply, top_reply
from domain.accounting.commands import FxRateSet, RecordPayment, SetFxRate
from domain.automation import commands as ac
from domain.automation.model import format_po_number
from domain.errors import DomainError, NotFound
from domain.fulfillment.picking import BATCH_SIZE, build_pick_lists
from domain.fulfillment.queries import FulfilmentViews
from domain.inventory import commands as ic
from domain.messagebus import MessageBus
from domain.orders import commands as oc
from domain.orders.model import format_order_number
from domain.ports import StaffDirectory
from domain.queries import ReadModel
from domain.returns import commands as rc
from domain.returns.model import format_rma
from domain.staff import commands as stc
from domain.texts import N_, Text

LIST_LIMIT = 20
OPEN_RETURNS = ("requested", "approved", "received")
_Run = Callable[[Any, StaffUser], Awaitable[Reply]]


class StaffService:
    def __init__(self, bus: MessageBus, views: ReadModel, directory: StaffDirectory, *,
                 currency: str, timezone: str = "UTC",
                 enabled: Collection[str] = DEFAULT_ENABLED,
                 fulfilment: FulfilmentViews | None = None,
                 people: PeopleDirectory | None = None, locale: str = "en") -> None:
        self.bus = bus
        self.locale = locale  # OMSBOT_STAFF_LOCALE: documents and file titles
        self.people = people  # who `@name` is, when Slack sends mentions unescaped
        self.views = views
        self.directory = directory
        self.currency = currency
        self.timezone = timezone
        self.enabled = frozenset(enabled)
        self._runs: dict[type, _Run] = {
            sr.Help: self._help, sr.ShowOrder: self._show_order, sr.ListOrders: self._orders,
            sr.NewOrder: self._new_order_form, sr.ShipOrder: self._order_change,
            sr.DeliverOrder: self._order_change, sr.CancelOrder: self._order_change,
            sr.HoldOrder: self._order_change, sr.ReleaseOrder: self._order_change,
            sr.FlagOrder: self._order_change, sr.ShowStock: self._stock,
            sr.ReceiveStock: self._receive, sr.AdjustStock: self._adjust,
            sr.LowStock: self._low_stock,
            sr.ListReturns: self._returns, sr.ReturnAction: self._return_action,
            sr.ShowCustomer: self._customer, sr.SetStaffRole: self._set_role,
            sr.TopProducts: self._top, sr.TopCustomers: self._top, sr.PickList: self._picklist,
            sr.Report: self._report, sr.PurchaseOrders: self._purchase_orders,
            sr.ApprovePurchaseOrder: self._approve_po,
            sr.ShowFxRates: self._fx_rates, sr.SetFxRate: self._set_fx_rate,
            sr.PayOrder: self._pay,
        }
        self.fulfilment = FulfilmentDesk(self, fulfilment)
        self._runs.update(self.fulfilment.runs())

    async def handle_text(self, text: str, user: StaffUser, *, prefix: str) -> Reply:
        """One line of staff text, answered."""
        try:
            request = parse(text, self.enabled, prefix=prefix)
        except UsageError as problem:
            return Reply("usage", {"message": problem.text, "usage": problem.usage_text})
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
            return Reply("usage", {"message": Text.of(N_("`%(command)s` is not available."),
                                                       command=request.command), "usage": ""})
        try:
            if seen_status is not None and (stale := await self._stale(request, seen_status)):
                return stale
            return await run(request, user)
        except DomainError as problem:
            return Reply("error", {"message": problem.text})

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
            return Reply("error", {"message": problem.text})
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
        sku = await self.views.product_sku(request.sku)
        levels = None if sku is None else await self.views.inventory(sku)
        if levels is None:
            raise NotFound("Product", request.sku)
        return Reply("stock", {"sku": sku, "levels": levels})

    async def _low_stock(self, request: sr.LowStock, user: StaffUser) -> Reply:
        return Reply("lowstock", {"items": await self.views.low_stock()})

    async def _top(self, request: sr.TopCustomers | sr.TopProducts, user: StaffUser) -> Reply:
        return await top_reply(self.views, request, self.bus.clock.now())

    async def _picklist(self, request: sr.PickList, user: StaffUser) -> Reply:
        rows = await self.views.pick_rows(request.warehouse)
        lists = build_pick_lists(rows, request.strategy, request.batch_size or BATCH_SIZE)
        return Reply("picklist", {"strategy": request.strategy, "lists": lists,
                                  "warehouse": request.warehouse},
                     attachment=picklist_document(lists, request, self.bus.clock.now(),
                                                         self.locale, self.timezone))

    async def _report(self, request: sr.Report, user: StaffUser) -> Reply:
        return await report_reply(self.views, request.period, self.bus.clock.now(),
                                  self.timezone, self.locale)

    async def _purchase_orders(self, request: sr.PurchaseOrders, user: StaffUser) -> Reply:
        found = await self.views.purchase_orders(limit=LIST_LIMIT)
        return Reply("purchase_orders", {"purchase_orders": found})

    async def _approve_po(self, request: sr.ApprovePurchaseOrder, user: StaffUser) -> Reply:
        result: ac.PurchaseOrderChanged = await self.bus.handle(
            ac.ApprovePurchaseOrder(request.id, user.mention), user.actor)
        po = await self.views.purchase_order(request.id)
        assert po is not None
        return Reply("po_changed", {"po": po, "changed": result.changed, "by": user.mention},
                     public=True, subject=po_subject(po, user.role))

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

    async def _fx_rates(self, request: sr.ShowFxRates, user: StaffUser) -> Reply:
        return Reply("fx_rates", await self.views.fx_rates(self._today()))

    def _today(self) -> date:
        """Today in the shop's time zone."""
        return self.bus.clock.now().astimezone(ZoneInfo(self.timezone)).date()

    # -- changes ---------------------------------------------------------------------------

    async def _set_fx_rate(self, request: sr.SetFxRate, user: StaffUser) -> Reply:
        result: FxRateSet = await self.bus.handle(
            SetFxRate(request.currency, request.rate, timezone=self.timezone), user.actor)
        return Reply("fx_set", {"fx": result, "base": self.currency, "by": user.mention},
                     public=True)

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

    async def _adjust(self, request: sr.AdjustStock, user: StaffUser) -> Reply:
        adjusted: ic.StockAdjusted = await self.bus.handle(ic.AdjustStock(
            request.sku, request.warehouse, request.mode, request.quantity, request.reason),
            user.actor)
        allocated = [format_order_number(o) for o in adjusted.allocated_orders]
        return Reply("stock_adjusted", {"adjusted": adjusted, "allocated": allocated,
                                        "by": user.mention}, public=True)

    async def _return_action(self, request: sr.ReturnAction, user: StaffUser) -> Reply:
        await self.bus.handle(rc.DecideReturn(request.rma, request.action, request.warehouse,
                                              request.amount),
                              user.actor)
        ret = await self.views.return_(request.rma)
        assert ret is not None
        return Reply("return_changed", {"ret": ret, "verb": request.action,
                                        "by": user.mention},
                     public=True, subject=return_subject(ret, user.role))

    async def _pay(self, request: sr.PayOrder, user: StaffUser) -> Reply:
        await self.bus.handle(RecordPayment(request.number, request.amount,
                                            method=request.method), user.actor)
        return await self._changed_order(request.number, "paid", user, amount=request.amount)

    async def _set_role(self, request: sr.SetStaffRole, user: StaffUser) -> Reply:
        user_id = request.user_id
        if not user_id:
            found = await self.people.find(request.name) if self.people else []
            if len(found) != 1:
                return Reply("person_unresolved", {"name": request.name, "found": found})
            user_id = found[0].user_id
        result: stc.StaffRoleSet = await self.bus.handle(
            stc.SetStaffRole(user_id, request.role), user.actor)
        self.directory.forget(user_id)
        return Reply("staff_set", {"user_id": result.user_id, "role": result.role.value,
                                   "previous": result.previous, "by": user.mention},
                     public=True)

    async def _stale(self, request: sr.StaffRequest, seen: str) -> Reply | None:
        """A reply when what a button acts on is no longer in the status it showed."""
        if isinstance(request, sr.ReturnAction):
            view, name = await self.views.return_(request.rma), format_rma(request.rma)
            kind = "Return"
        elif isinstance(request, sr.ApprovePurchaseOrder):
            view, name = await self.views.purchase_order(request.id), format_po_number(
                request.id)
            kind = "Purchase order"
        elif isinstance(request, _ORDER_CHANGES):
            view, name = await self.views.order(request.number), format_order_number(
                request.number)
            kind = "Order"
        else:
            return None
        if view is None:
            raise NotFound(kind, name)
        current = str(view["status"])
        if current == seen:
            return None
        return Reply("stale", {"name": name, "seen": seen, "current": current})


_ORDER_CHANGES = (sr.ShipOrder, sr.DeliverOrder, sr.CancelOrder, sr.HoldOrder, sr.ReleaseOrder,
                  sr.FlagOrder)


def _order_command(request: sr.StaffRequest) -> tuple[object, str]:
    """The bus command of an order change, and what it did in words."""
    match request:
        case sr.ShipOrder(number=n, carrier=carrier, tracking=tracking, eta=eta):
            return oc.ShipOrder(n, carrier, tracking, eta), "shipped"
        case sr.DeliverOrder(number=n):
            return oc.DeliverOrder(n), "delivered"
        case sr.CancelOrder(number=n, reason=reason, items=items):
            lines = tuple(oc.CancelLine(sku, qty) for sku, qty in items)
            return oc.CancelOrder(n, reason, lines or None), "cancelled"
        case sr.HoldOrder(number=n):
            return oc.HoldOrder(n), "put on hold"
        case sr.ReleaseOrder(number=n):
            return oc.ReleaseOrder(n), "released"
        case sr.FlagOrder(number=n, flag=flag):
            return oc.FlagOrder(n, flag), "flagged"
    raise TypeError(f"not an order change: {request!r}")
