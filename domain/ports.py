"""What the domain needs from the outside world, as Protocols. Storage implements them."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal
from types import TracebackType
from typing import Protocol

from domain.accounting.fx import FxRate
from domain.accounting.periods import ReportWindow
from domain.accounting.ports import JournalRepository, PaymentRepository
from domain.accounting.sales import SalesReport
from domain.automation.ports import JobScans, PurchaseOrderRepository
from domain.customers.model import Customer, TelegramLink
from domain.fulfillment.ports import FulfilmentRepository
from domain.inventory.model import (
    Product,
    ShippingMethod,
    StockAdjustment,
    StockLevel,
    Warehouse,
)
from domain.linking.model import LinkCode
from domain.notifications import AuditEntry, Notification
from domain.orders.model import Order, Shipment
from domain.returns.attachments import ReturnAttachment
from domain.returns.model import ReturnRequest
from domain.staff.model import Role, StaffMember


class ProductRepository(Protocol):
    async def get(self, sku: str) -> Product | None: ...
    async def get_many(self, skus: Sequence[str]) -> dict[str, Product]:
        """{the product's own SKU: product} for `skus` matched without regard to case."""
        ...
    async def add(self, product: Product) -> None: ...


class WarehouseRepository(Protocol):
    async def get(self, code: str) -> Warehouse | None: ...
    async def list_all(self) -> list[Warehouse]: ...
    async def add(self, warehouse: Warehouse) -> None: ...


class ShippingMethodRepository(Protocol):
    async def get(self, code: str) -> ShippingMethod | None: ...
    async def add(self, method: ShippingMethod) -> None: ...


class ReferenceData(Protocol):
    """Read-only snapshots of the catalogue for hot paths (order intake). They may lag a
    change made by another process by a few seconds (storage/reference.py says how many);
    never change data through them: use the repositories above."""

    async def products(self, skus: Sequence[str]) -> dict[str, Product]:
        """{the product's own SKU: product} for `skus` matched without regard to case."""
        ...
    async def shipping_method(self, code: str) -> ShippingMethod | None: ...
    async def warehouses(self) -> list[Warehouse]:
        """Every warehouse, by priority then code."""
        ...


class StockRepository(Protocol):
    async def levels(self, skus: Sequence[str]) -> list[StockLevel]: ...
    async def get(self, sku: str, warehouse: str) -> StockLevel | None: ...
    def reserve_on_commit(self, sku: str, warehouse: str, quantity: int) -> None:
        """Reserve `quantity` units as the commit's last step, atomically (available >=
        quantity). When that is no longer so at commit, the commit raises Retry (the bus
        runs the command again). Until then `levels` and `get` count them as reserved."""
        ...
    async def release(self, sku: str, warehouse: str, quantity: int) -> None: ...
    async def commit_shipment(self, sku: str, warehouse: str, quantity: int) -> None: ...
    async def receive(self, sku: str, warehouse: str, quantity: int) -> StockLevel: ...
    async def set_low_since(self, sku: str, warehouse: str, at: datetime | None) -> None: ...


class StockAdjustmentRepository(Protocol):
    async def apply(self, sku: str, warehouse: str, delta: int, *, on_hand_was: int | None
                    ) -> StockLevel | None:
        """Add `delta` units to on hand in one conditional statement, only while the result
        stays at or above what is reserved (and, given `on_hand_was`, only while on hand is
        still that: `=N` counts what it saw); the new level, or None when refused. A level
        that does not exist yet is made by a positive `delta`."""
        ...
    async def record(self, adjustment: StockAdjustment) -> int:
        """Store the adjustment; its id."""
        ...


class OrderRepository(Protocol):
    async def add(self, order: Order) -> None:
        """Store and assign `order.id`; raises Retry when a duplicate insert lost a race."""
        ...
    async def get(self, order_id: int, *, for_update: bool = False) -> Order | None: ...
    async def read_ahead(self, channel: str, external_id: str, email: str | None,
                         sku: str | None) -> None:
        """A hint from order placement: `by_external_id(channel, external_id)`, the
        customers' `by_email(email)` and the stock's `levels([sku])` come next in this unit
        of work (None: that one is not asked). A store may read them in one go; the
        answers must be those the three calls would give. Nothing to do in memory."""
        ...
    async def by_external_id(self, channel: str, external_id: str) -> Order | None: ...
    async def by_idempotency_key(self, scope: str | None, key: str) -> Order | None: ...
    async def by_tracking_number(self, tracking_number: str) -> tuple[Order, Shipment] | None: ...
    async def backordered_with(self, skus: Sequence[str], *, lock: bool = True) -> list[Order]:
        """Backordered orders with a line of any of `skus`, oldest first (locked by default)."""
        ...


class CustomerRepository(Protocol):
    async def get(self, customer_id: int) -> Customer | None: ...
    async def by_email(self, email: str) -> Customer | None: ...
    async def add(self, customer: Customer) -> None: ...
    async def telegram_links(self, customer_id: int) -> list[TelegramLink]: ...


class ReturnRepository(Protocol):
    async def add(self, ret: ReturnRequest) -> None: ...
    async def get(self, return_id: int) -> ReturnRequest | None: ...
    async def for_order(self, order_id: int) -> list[ReturnRequest]: ...


class AttachmentRepository(Protocol):
    async def add(self, attachment: ReturnAttachment, data: bytes) -> None:
        """Store the bytes (under their SHA-256) and the attachment's row."""
        ...

    async def for_return(self, return_id: int) -> list[ReturnAttachment]: ...


class OutboxRepository(Protocol):
    async def add(self, notification: Notification) -> bool:
        """False when a notification with the same dedupe key already exists."""
        ...


class AuditRepository(Protocol):
    async def add(self, entry: AuditEntry) -> None: ...


class StaffRepository(Protocol):
    async def get(self, user_id: str) -> StaffMember | None: ...
    async def put(self, member: StaffMember) -> None:
        """Add the member, or replace their role."""
        ...


class StaffDirectory(Protocol):
    """The read side of staff, asked on every Slack request (implementations may cache)."""

    async def role_of(self, user_id: str) -> Role | None: ...
    def forget(self, user_id: str) -> None:
        """Drop what is cached about `user_id` (after their role changed)."""
        ...


class ProcessedUpdates(Protocol):
    """Ids of inbound deliveries already handled (Slack retries, Telegram update ids)."""

    async def claim(self, source: str, update_id: str) -> bool:
        """Record the id; False when it was recorded before (a duplicate delivery)."""


class LinkCodeRepository(Protocol):
    async def add(self, code: LinkCode) -> None: ...
    async def by_hash(self, code_hash: str, purpose: str) -> LinkCode | None: ...
    async def open_for_chat(self, chat_id: int, purpose: str) -> list[LinkCode]:
        """Unused codes of the chat, newest first."""
        ...
    async def count_for_chat_since(self, chat_id: int, since: datetime) -> int: ...
    async def save(self, code: LinkCode) -> None:
        """Store the code's attempts, chat and use."""
        ...


class ChatLinkRepository(Protocol):
    async def get(self, chat_id: int) -> TelegramLink | None: ...
    async def link(self, link: TelegramLink) -> None:
        """Bind the chat (rebinding it when it was bound to someone else)."""
        ...
    async def save(self, link: TelegramLink) -> None: ...


class ProcessedUpdateRepository(Protocol):
    """Incoming deliveries already handled (e-mail Message-IDs, Telegram update ids), in
    the same transaction as their effect: a re-delivery is recognised and ignored."""

    async def claim(self, source: str, update_ids: Sequence[str], at: datetime
                    ) -> frozenset[str]:
        """Record the ids; returns those that were not recorded before."""
        ...

    async def remember(self, source: str, update_id: str, at: datetime) -> bool:
        """Record one id; False when it was recorded before (a re-delivery to ignore)."""
        ...


class FxRateRepository(Protocol):
    """Exchange rates into the base currency: 1 CURRENCY = rate BASE from a day on."""

    async def rate_on(self, currency: str, day: date) -> Decimal | None:
        """The rate in force on `day` (a day in the shop's time zone): the newest rate with
        `valid_from <= day`; `Decimal(1)` for the base currency; None when there is none."""
        ...

    async def set(self, currency: str, rate: Decimal, valid_from: date) -> bool:
        """Store the rate from `valid_from` on (replacing one that starts that same day);
        True when it is new, False when it replaced one."""
        ...

    async def all(self) -> list[FxRate]:
        """Every stored rate, by currency, oldest first."""
        ...


class SalesReports(Protocol):
    async def report(self, window: ReportWindow) -> SalesReport:
        """The sales report of `window` in the base currency (domain.accounting.sales)."""
        ...


class UnitOfWork(Protocol):
    @property
    def products(self) -> ProductRepository: ...
    @property
    def warehouses(self) -> WarehouseRepository: ...
    @property
    def shipping_methods(self) -> ShippingMethodRepository: ...
    @property
    def reference(self) -> ReferenceData: ...
    @property
    def stock(self) -> StockRepository: ...
    @property
    def orders(self) -> OrderRepository: ...
    @property
    def stock_adjustments(self) -> StockAdjustmentRepository: ...
    @property
    def customers(self) -> CustomerRepository: ...
    @property
    def returns(self) -> ReturnRepository: ...
    @property
    def attachments(self) -> AttachmentRepository: ...
    @property
    def outbox(self) -> OutboxRepository: ...
    @property
    def audit(self) -> AuditRepository: ...
    @property
    def staff(self) -> StaffRepository: ...
    @property
    def processed_updates(self) -> ProcessedUpdateRepository: ...
    @property
    def purchase_orders(self) -> PurchaseOrderRepository: ...
    @property
    def scans(self) -> JobScans: ...
    @property
    def link_codes(self) -> LinkCodeRepository: ...
    @property
    def chat_links(self) -> ChatLinkRepository: ...
    @property
    def payments(self) -> PaymentRepository: ...
    @property
    def journal(self) -> JournalRepository: ...
    @property
    def fulfilment(self) -> FulfilmentRepository: ...
    @property
    def fx_rates(self) -> FxRateRepository: ...
    @property
    def sales(self) -> SalesReports: ...

    async def __aenter__(self) -> UnitOfWork: ...
    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...
    async def commit(self) -> None: ...
    async def rollback(self) -> None: ...
    async def flush(self) -> None: ...
