"""In-memory unit of work for the fast domain tests: same semantics, no I/O."""

from __future__ import annotations

import copy
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from types import TracebackType
from typing import Any

from domain.accounting.fx import FxRate, rate_in_force
from domain.accounting.journal import JournalLine
from domain.accounting.model import Payment
from domain.accounting.periods import ReportWindow, local_day
from domain.accounting.policy import journal_policy
from domain.accounting.sales import SalesReport, SalesRow, build_sales_report
from domain.automation.model import PO_OPEN, PurchaseOrder
from domain.clock import Clock
from domain.customers.model import Customer, TelegramLink
from domain.errors import Retry
from domain.inventory.model import (
    Product,
    ShippingMethod,
    StockAdjustment,
    StockLevel,
    Warehouse,
)
from domain.messagebus import DomainConfig, MessageBus
from domain.notifications import AuditEntry, Notification
from domain.orders import model as om
from domain.policy import notifications_for
from domain.registry import core_handlers
from domain.returns.model import ReturnRequest
from domain.staff.model import StaffMember


@dataclass
class Store:
    """The committed state every fake unit of work starts from."""

    products: dict[str, Product] = field(default_factory=dict)
    warehouses: dict[str, Warehouse] = field(default_factory=dict)
    methods: dict[str, ShippingMethod] = field(default_factory=dict)
    stock: dict[tuple[str, str], StockLevel] = field(default_factory=dict)
    adjustments: list[StockAdjustment] = field(default_factory=list)
    orders: dict[int, om.Order] = field(default_factory=dict)
    customers: dict[int, Customer] = field(default_factory=dict)
    links: list[TelegramLink] = field(default_factory=list)
    returns: dict[int, ReturnRequest] = field(default_factory=dict)
    outbox: list[Notification] = field(default_factory=list)
    audit: list[AuditEntry] = field(default_factory=list)
    staff: dict[str, StaffMember] = field(default_factory=dict)
    processed: set[tuple[str, str]] = field(default_factory=set)
    purchase_orders: dict[int, PurchaseOrder] = field(default_factory=dict)
    payments: list[Payment] = field(default_factory=list)
    journal: list[JournalLine] = field(default_factory=list)
    fx_rates: dict[tuple[str, date], FxRate] = field(default_factory=dict)
    commits: int = 0


class _Repo:
    def __init__(self, state: Store) -> None:
        self.s = state


class FakeProducts(_Repo):
    async def get(self, sku: str) -> Product | None:
        return next((p for k, p in self.s.products.items() if k.lower() == sku.lower()), None)

    async def get_many(self, skus: Sequence[str]) -> dict[str, Product]:
        wanted = {s.lower() for s in skus}
        return {k: p for k, p in self.s.products.items() if k.lower() in wanted}

    async def add(self, product: Product) -> None:
        self.s.products[product.sku] = product


class FakeWarehouses(_Repo):
    async def get(self, code: str) -> Warehouse | None:
        return self.s.warehouses.get(code)

    async def list_all(self) -> list[Warehouse]:
        return sorted(self.s.warehouses.values(), key=lambda w: (w.priority, w.code))

    async def add(self, warehouse: Warehouse) -> None:
        self.s.warehouses[warehouse.code] = warehouse


class FakeMethods(_Repo):
    async def get(self, code: str) -> ShippingMethod | None:
        return self.s.methods.get(code)

    async def add(self, method: ShippingMethod) -> None:
        self.s.methods[method.code] = method


class FakeReference(_Repo):
    async def products(self, skus: Sequence[str]) -> dict[str, Product]:
        return await FakeProducts(self.s).get_many(skus)

    async def shipping_method(self, code: str) -> ShippingMethod | None:
        return self.s.methods.get(code)

    async def warehouses(self) -> list[Warehouse]:
        return await FakeWarehouses(self.s).list_all()


class FakeStock(_Repo):
    async def levels(self, skus: Sequence[str]) -> list[StockLevel]:
        return [copy.copy(v) for (sku, _), v in self.s.stock.items() if sku in skus]

    async def get(self, sku: str, warehouse: str) -> StockLevel | None:
        level = self.s.stock.get((sku, warehouse))
        return copy.copy(level) if level else None

    def reserve_on_commit(self, sku: str, warehouse: str, quantity: int) -> None:
        # One writer at a time here: what would fail at commit fails now, alike.
        level = self.s.stock.get((sku, warehouse))
        if level is None or level.available < quantity:
            raise Retry(f"stock of {sku} in {warehouse} changed")
        level.reserved += quantity

    async def release(self, sku: str, warehouse: str, quantity: int) -> None:
        self.s.stock[(sku, warehouse)].reserved -= quantity

    async def commit_shipment(self, sku: str, warehouse: str, quantity: int) -> None:
        level = self.s.stock[(sku, warehouse)]
        level.on_hand -= quantity
        level.reserved -= quantity

    async def receive(self, sku: str, warehouse: str, quantity: int) -> StockLevel:
        level = self.s.stock.setdefault((sku, warehouse), StockLevel(sku, warehouse))
        level.on_hand += quantity
        return copy.copy(level)

    async def set_low_since(self, sku: str, warehouse: str, at: datetime | None) -> None:
        self.s.stock[(sku, warehouse)].low_since = at


class FakeStockAdjustments(_Repo):
    async def apply(self, sku: str, warehouse: str, delta: int, *, on_hand_was: int | None
                    ) -> StockLevel | None:
        level = self.s.stock.get((sku, warehouse))
        if level is None and delta > 0 and on_hand_was in (None, 0):
            level = self.s.stock.setdefault((sku, warehouse), StockLevel(sku, warehouse))
        if level is None or level.on_hand + delta < level.reserved or (
                on_hand_was is not None and level.on_hand != on_hand_was):
            return None
        level.on_hand += delta
        return copy.copy(level)

    async def record(self, adjustment: StockAdjustment) -> int:
        self.s.adjustments.append(adjustment)
        return len(self.s.adjustments)


class FakeOrders(_Repo):
    async def add(self, order: om.Order) -> None:
        order.id = len(self.s.orders) + 1
        for i, shipment in enumerate(order.shipments, start=1):
            shipment.id = order.id * 100 + i
        for i, line in enumerate(order.lines, start=1):
            line.id = order.id * 1000 + i
        self.s.orders[order.id] = order

    async def get(self, order_id: int, *, for_update: bool = False) -> om.Order | None:
        return self.s.orders.get(order_id)

    async def read_ahead(self, channel: str, external_id: str, email: str | None,
                         sku: str | None) -> None:
        """In memory every read is as cheap as a read ahead: nothing to do."""

    async def by_external_id(self, channel: str, external_id: str) -> om.Order | None:
        return next((o for o in self.s.orders.values()
                     if o.channel == channel and o.external_id == external_id), None)

    async def by_idempotency_key(self, scope: str | None, key: str) -> om.Order | None:
        return next((o for o in self.s.orders.values()
                     if o.idempotency_key == key and o.idempotency_scope == scope), None)

    async def by_tracking_number(self, tracking: str) -> tuple[om.Order, om.Shipment] | None:
        for order in self.s.orders.values():
            for shipment in order.shipments:
                if shipment.tracking_number == tracking:
                    return order, shipment
        return None

    async def backordered_with(self, skus: Sequence[str], *, lock: bool = True
                               ) -> list[om.Order]:
        return [o for o in sorted(self.s.orders.values(), key=lambda o: o.id or 0)
                if o.status == om.BACKORDERED and any(ln.sku in skus for ln in o.lines)]


class FakeCustomers(_Repo):
    async def get(self, customer_id: int) -> Customer | None:
        return self.s.customers.get(customer_id)

    async def by_email(self, email: str) -> Customer | None:
        return next((c for c in self.s.customers.values() if c.email == email), None)

    async def add(self, customer: Customer) -> None:
        customer.id = len(self.s.customers) + 1
        self.s.customers[customer.id] = customer

    async def telegram_links(self, customer_id: int) -> list[TelegramLink]:
        return [link for link in self.s.links if link.customer_id == customer_id]


class FakeReturns(_Repo):
    async def add(self, ret: ReturnRequest) -> None:
        ret.id = len(self.s.returns) + 1
        self.s.returns[ret.id] = ret

    async def get(self, return_id: int) -> ReturnRequest | None:
        return self.s.returns.get(return_id)

    async def for_order(self, order_id: int) -> list[ReturnRequest]:
        return [r for r in self.s.returns.values() if r.order_id == order_id]


class FakePayments(_Repo):
    async def add(self, payment: Payment) -> None:
        payment.id = len(self.s.payments) + 1
        self.s.payments.append(payment)

    async def for_order(self, order_id: int) -> list[Payment]:
        return [p for p in self.s.payments if p.order_id == order_id]


class FakeJournal(_Repo):
    async def add(self, lines: Sequence[JournalLine]) -> None:
        self.s.journal.extend(lines)


class FakeOutbox(_Repo):
    async def add(self, n: Notification) -> bool:
        if n.dedupe_key and any(o.dedupe_key == n.dedupe_key for o in self.s.outbox):
            return False
        self.s.outbox.append(n)
        return True


class FakeAudit(_Repo):
    async def add(self, entry: AuditEntry) -> None:
        self.s.audit.append(entry)


class FakeStaff(_Repo):
    async def get(self, user_id: str) -> StaffMember | None:
        return self.s.staff.get(user_id)

    async def put(self, member: StaffMember) -> None:
        self.s.staff[member.user_id] = member


class FakeProcessedUpdates(_Repo):
    async def claim(self, source: str, update_ids: Sequence[str], at: datetime
                    ) -> frozenset[str]:
        new = frozenset(u for u in update_ids if (source, u) not in self.s.processed)
        self.s.processed.update((source, u) for u in new)
        return new

    async def remember(self, source: str, update_id: str, at: datetime) -> bool:
        return bool(await self.claim(source, [update_id], at))


class FakePurchaseOrders(_Repo):
    async def add(self, po: PurchaseOrder) -> None:
        po.id = len(self.s.purchase_orders) + 1
        self.s.purchase_orders[po.id] = po

    async def get(self, po_id: int, *, for_update: bool = False) -> PurchaseOrder | None:
        return self.s.purchase_orders.get(po_id)

    async def add_all(self, pos: Sequence[PurchaseOrder]) -> None:
        for po in pos:
            await self.add(po)

    async def open_for_many(self, keys: Sequence[tuple[str, str]]
                            ) -> dict[tuple[str, str], PurchaseOrder]:
        found: dict[tuple[str, str], PurchaseOrder] = {}
        for sku, warehouse in keys:
            if pos := await self.open_for(sku, warehouse):
                found[(sku, warehouse)] = pos[0]
        return found

    async def open_for(self, sku: str, warehouse: str) -> list[PurchaseOrder]:
        return [po for po in self.s.purchase_orders.values()
                if po.sku == sku and po.warehouse == warehouse and po.status in PO_OPEN]


class FakeFxRates(_Repo):
    def __init__(self, state: Store, base_currency: str) -> None:
        super().__init__(state)
        self.base_currency = base_currency

    async def rate_on(self, currency: str, day: date) -> Decimal | None:
        return rate_in_force(self.s.fx_rates.values(), currency, day, self.base_currency)

    async def set(self, currency: str, rate: Decimal, valid_from: date) -> bool:
        created = (currency, valid_from) not in self.s.fx_rates
        self.s.fx_rates[(currency, valid_from)] = FxRate(currency, rate, valid_from)
        return created

    async def all(self) -> list[FxRate]:
        return sorted(self.s.fx_rates.values(), key=lambda r: (r.currency, r.valid_from))


class FakeSales(_Repo):
    """The sales report from the orders in memory: the same rules as storage.sales."""

    def __init__(self, state: Store, rates: FakeFxRates) -> None:
        super().__init__(state)
        self.rates = rates

    async def report(self, window: ReportWindow) -> SalesReport:
        rows: list[SalesRow] = []
        for order in self.s.orders.values():
            day = local_day(order.placed_at, window.timezone)
            if not window.first <= day <= window.last or order.status == om.CANCELLED \
                    or "replacement" in order.flags:
                continue
            refunds = sum((r.refund_amount or Decimal(0) for r in self.s.returns.values()
                           if r.order_id == order.id), Decimal(0))
            rows.append(SalesRow(
                order.currency, order.channel, day, 1,
                sum((ln.open_quantity * ln.unit_price for ln in order.lines), Decimal(0)),
                sum((ln.open_quantity * (ln.unit_cost or 0) for ln in order.lines), Decimal(0)),
                refunds))
        base = self.rates.base_currency
        found = list(self.s.fx_rates.values())
        return build_sales_report(window, rows,
                                  lambda c, d: rate_in_force(found, c, d, base), base)


class FakeUnitOfWork:
    """Works on a deep copy of the store; commit swaps it in, anything else is forgotten."""

    def __init__(self, store: Store, base_currency: str = "EUR") -> None:
        self.store = store
        self.base_currency = base_currency

    async def __aenter__(self) -> FakeUnitOfWork:
        self.work = copy.deepcopy(self.store)
        w = self.work
        self.products = FakeProducts(w)
        self.warehouses = FakeWarehouses(w)
        self.shipping_methods = FakeMethods(w)
        self.reference = FakeReference(w)
        self.stock = FakeStock(w)
        self.stock_adjustments = FakeStockAdjustments(w)
        self.orders = FakeOrders(w)
        self.customers = FakeCustomers(w)
        self.returns = FakeReturns(w)
        self.outbox = FakeOutbox(w)
        self.audit = FakeAudit(w)
        self.staff = FakeStaff(w)
        self.processed_updates = FakeProcessedUpdates(w)
        self.purchase_orders = FakePurchaseOrders(w)
        self.payments = FakePayments(w)
        self.journal = FakeJournal(w)
        self.fx_rates = FakeFxRates(w, self.base_currency)
        self.sales = FakeSales(w, self.fx_rates)
        return self

    async def __aexit__(self, exc_type: type[BaseException] | None,
                        exc: BaseException | None, tb: TracebackType | None) -> None:
        return None

    async def commit(self) -> None:
        self.work.commits += 1
        self.store.__dict__.update(self.work.__dict__)

    async def rollback(self) -> None:
        self.work = copy.deepcopy(self.store)

    async def flush(self) -> None:
        return None


def fake_bus(clock: Clock, store: Store | None = None, **config: Any) -> tuple[MessageBus, Store]:
    store = store or Store()
    settings = DomainConfig(**config)
    bus = MessageBus(lambda: FakeUnitOfWork(store, settings.base_currency), core_handlers(),
                     notifications_for, clock, settings, journal=journal_policy)
    return bus, store
