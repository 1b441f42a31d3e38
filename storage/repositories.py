"""Repositories: all SQL of the write side. They never commit; the unit of work does."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import and_, bindparam, func, insert, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import make_transient_to_detached
from sqlalchemy.orm.util import identity_key

from domain.customers.model import Customer, TelegramLink
from domain.errors import Retry
from domain.inventory.model import Product, ShippingMethod, StockLevel, Warehouse
from domain.notifications import AuditEntry, Notification
from domain.orders import model as om
from domain.returns.model import ReturnRequest
from storage import core_exec, intake_reads, orm, reservations
from storage.order_writes import insert_order


def upsert(session: AsyncSession, table: Any) -> Any:
    """INSERT … ON CONFLICT for the session's dialect."""
    dialect = session.get_bind().dialect.name
    return (postgresql.insert(table) if dialect == "postgresql" else sqlite.insert(table))


class SqlProducts:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, sku: str) -> Product | None:
        """The product whose SKU is `sku` without regard to case."""
        return (await self.session.scalars(select(Product).where(
            func.lower(orm.products.c.sku) == sku.lower()))).first()

    async def get_many(self, skus: Sequence[str]) -> dict[str, Product]:
        """{the product's own SKU: product} for `skus` given in any case."""
        rows = await self.session.scalars(select(Product).where(
            func.lower(orm.products.c.sku).in_(sorted({s.lower() for s in skus}))))
        return {p.sku: p for p in rows}

    async def add(self, product: Product) -> None:
        self.session.add(product)


class SqlWarehouses:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, code: str) -> Warehouse | None:
        return await self.session.get(Warehouse, code)

    async def list_all(self) -> list[Warehouse]:
        return list(await self.session.scalars(select(Warehouse).order_by(
            orm.warehouses.c.priority, orm.warehouses.c.code)))

    async def add(self, warehouse: Warehouse) -> None:
        self.session.add(warehouse)


class SqlShippingMethods:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, code: str) -> ShippingMethod | None:
        return await self.session.get(ShippingMethod, code)

    async def add(self, method: ShippingMethod) -> None:
        self.session.add(method)


_LEVELS = select(orm.stock_levels.c.sku, orm.stock_levels.c.warehouse,
                 orm.stock_levels.c.on_hand, orm.stock_levels.c.reserved,
                 orm.stock_levels.c.low_since)
_LEVELS_OF_ONE = _LEVELS.where(orm.stock_levels.c.sku == bindparam("sku"))
_ORDER_BY_EXTERNAL_ID = select(orm.orders.c.id).where(
    orm.orders.c.channel == bindparam("channel"),
    orm.orders.c.external_id == bindparam("external_id"))


class SqlStock:
    """Stock moves are single conditional SQL statements: atomic on both databases."""

    t = orm.stock_levels

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    def _key(self, sku: str, warehouse: str) -> Any:
        return and_(self.t.c.sku == sku, self.t.c.warehouse == warehouse)

    async def levels(self, skus: Sequence[str]) -> list[StockLevel]:
        if len(skus) == 1:  # the usual order: one fixed statement, no expanding IN
            rows = intake_reads.take(self.session, "levels", skus[0])
            if rows is intake_reads.MISSING:
                rows = (await core_exec.execute_fixed(self.session, _LEVELS_OF_ONE, {
                    "sku": skus[0]})).rows
        else:
            rows = [r._asdict() for r in await core_exec.execute(
                self.session, _LEVELS.where(self.t.c.sku.in_(skus)))]
        return reservations.overlay(self.session, [StockLevel(**r) for r in rows])

    async def get(self, sku: str, warehouse: str) -> StockLevel | None:
        row = (await self.session.execute(select(
            self.t.c.on_hand, self.t.c.reserved, self.t.c.low_since
        ).where(self._key(sku, warehouse)))).first()
        if row is None:
            return None
        return reservations.overlay(self.session, [StockLevel(
            sku, warehouse, row.on_hand, row.reserved, row.low_since)])[0]

    def reserve_on_commit(self, sku: str, warehouse: str, quantity: int) -> None:
        """See storage.reservations: made by the commit, Retry if it can no longer be."""
        reservations.hold(self.session, sku, warehouse, quantity)

    async def release(self, sku: str, warehouse: str, quantity: int) -> None:
        await reservations.make_pending(self.session)
        await self.session.execute(update(self.t).where(self._key(sku, warehouse)).values(
            reserved=self.t.c.reserved - quantity))

    async def commit_shipment(self, sku: str, warehouse: str, quantity: int) -> None:
        await reservations.make_pending(self.session)
        await self.session.execute(update(self.t).where(self._key(sku, warehouse)).values(
            on_hand=self.t.c.on_hand - quantity, reserved=self.t.c.reserved - quantity))

    async def receive(self, sku: str, warehouse: str, quantity: int) -> StockLevel:
        await reservations.make_pending(self.session)
        stmt = upsert(self.session, self.t).values(sku=sku, warehouse=warehouse,
                                                   on_hand=quantity, reserved=0)
        stmt = stmt.on_conflict_do_update(
            index_elements=[self.t.c.sku, self.t.c.warehouse],
            set_={"on_hand": self.t.c.on_hand + quantity},
        ).returning(self.t.c.on_hand, self.t.c.reserved, self.t.c.low_since)
        row = (await self.session.execute(stmt)).one()
        return StockLevel(sku, warehouse, row.on_hand, row.reserved, row.low_since)

    async def set_low_since(self, sku: str, warehouse: str, at: datetime | None) -> None:
        await reservations.make_pending(self.session)
        await self.session.execute(update(self.t).where(self._key(sku, warehouse)).values(
            low_since=at))


class SqlOrders:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session
        # Orders stored or read in this unit of work, held strongly (the session's
        # identity map is weak): a later plain `get` of one needs no query.
        self._known: dict[int, om.Order] = {}

    async def add(self, order: om.Order) -> None:
        try:
            await insert_order(self.session, order)
        except IntegrityError as exc:
            # Another request stored the same external id or idempotency key first.
            raise Retry("duplicate order insert") from exc
        assert order.id is not None
        self._known[order.id] = order

    async def get(self, order_id: int, *, for_update: bool = False) -> om.Order | None:
        known = self._known.get(order_id)
        if known is not None and not for_update:
            return known
        stmt = select(om.Order).where(orm.orders.c.id == order_id)
        if for_update:
            stmt = stmt.with_for_update()
        order = (await self.session.scalars(stmt)).first()
        if order is not None:
            self._known[order_id] = order
        return order

    async def read_ahead(self, channel: str, external_id: str, email: str | None,
                         sku: str | None) -> None:
        """See domain.ports.OrderRepository.read_ahead (storage.intake_reads)."""
        await intake_reads.read_ahead(self.session, channel, external_id, email, sku)

    async def by_external_id(self, channel: str, external_id: str) -> om.Order | None:
        # Look the id up with Core first: the common answer is "none", and then no ORM work.
        order_id = intake_reads.take(self.session, "order", channel, external_id)
        if order_id is intake_reads.MISSING:
            order_id = (await core_exec.execute_fixed(self.session, _ORDER_BY_EXTERNAL_ID, {
                "channel": channel, "external_id": external_id})).scalar()
        return None if order_id is None else await self.get(order_id)

    async def by_idempotency_key(self, scope: str | None, key: str) -> om.Order | None:
        t = orm.orders
        order_id = await self.session.scalar(select(t.c.id).where(
            t.c.idempotency_key == key,
            t.c.idempotency_scope.is_(None) if scope is None else t.c.idempotency_scope == scope))
        return None if order_id is None else await self.get(order_id)

    async def by_tracking_number(
        self, tracking_number: str
    ) -> tuple[om.Order, om.Shipment] | None:
        order_id = await self.session.scalar(select(orm.shipments.c.order_id).where(
            orm.shipments.c.tracking_number == tracking_number).limit(1))
        if order_id is None:
            return None
        order = await self.get(order_id, for_update=True)
        assert order is not None
        shipment = next(s for s in order.shipments if s.tracking_number == tracking_number)
        return order, shipment

    async def backordered_with(self, skus: Sequence[str], *, lock: bool = True
                               ) -> list[om.Order]:
        ids = select(orm.order_lines.c.order_id).where(orm.order_lines.c.sku.in_(skus))
        stmt = select(om.Order).where(
            orm.orders.c.status == om.BACKORDERED, orm.orders.c.id.in_(ids)
        ).order_by(orm.orders.c.id)
        return list(await self.session.scalars(stmt.with_for_update() if lock else stmt))


_CUSTOMER_BY_EMAIL = select(orm.customers).where(orm.customers.c.email == bindparam("email"))


class SqlCustomers:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session
        # Held strongly for this unit of work (the identity map is weak): the order's
        # confirmation asks for the customer just read, and gets it without a query.
        self._known: dict[int, Customer] = {}

    def _keep(self, customer: Customer | None) -> Customer | None:
        if customer is not None and customer.id is not None:
            self._known[customer.id] = customer
        return customer

    async def get(self, customer_id: int) -> Customer | None:
        known = self._known.get(customer_id)
        if known is not None:
            return known
        return self._keep(await self.session.get(Customer, customer_id))

    async def by_email(self, email: str) -> Customer | None:
        """Read with Core and attached to the session as if loaded by it (every order
        asks: the ORM's loading costs more than the query)."""
        rows = intake_reads.take(self.session, "customer", email)
        if rows is intake_reads.MISSING:
            rows = (await core_exec.execute_fixed(self.session, _CUSTOMER_BY_EMAIL, {
                "email": email})).rows
        if not rows:
            return None
        loaded = self.session.identity_map.get(identity_key(Customer, rows[0]["id"]))
        if loaded is not None:
            return self._keep(loaded)
        customer = Customer(**rows[0])
        make_transient_to_detached(customer)
        self.session.add(customer)
        return self._keep(customer)

    async def add(self, customer: Customer) -> None:
        self.session.add(customer)
        try:
            await self.session.flush()
        except IntegrityError as exc:
            raise Retry("duplicate customer insert") from exc
        self._keep(customer)

    async def telegram_links(self, customer_id: int) -> list[TelegramLink]:
        return list(await self.session.scalars(select(TelegramLink).where(
            orm.telegram_links.c.customer_id == customer_id)))


class SqlReturns:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, ret: ReturnRequest) -> None:
        self.session.add(ret)
        await self.session.flush()

    async def get(self, return_id: int) -> ReturnRequest | None:
        return (await self.session.scalars(select(ReturnRequest).where(
            orm.returns.c.id == return_id).with_for_update())).first()

    async def for_order(self, order_id: int) -> list[ReturnRequest]:
        return list(await self.session.scalars(select(ReturnRequest).where(
            orm.returns.c.order_id == order_id).order_by(orm.returns.c.id)))


_OUTBOX_COLUMNS = ("channel", "kind", "recipient", "payload", "locale", "order_id",
                   "dedupe_key", "status", "attempts", "created_at", "next_attempt_at")


def _outbox_insert(dialect: Any, deduped: bool) -> Any:
    t = orm.notifications
    stmt = dialect.insert(t)
    if deduped:
        stmt = stmt.on_conflict_do_nothing(index_elements=[t.c.dedupe_key])
    return stmt.returning(t.c.id)


# The statements are built once; the values go as parameters (cheap cache keys).
_OUTBOX_INSERT = {(name, deduped): _outbox_insert(dialect, deduped)
                  for name, dialect in (("postgresql", postgresql), ("sqlite", sqlite))
                  for deduped in (False, True)}
_AUDIT_INSERT = insert(orm.audit_log)


class SqlOutbox:
    t = orm.notifications

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, n: Notification) -> bool:
        values = {c: getattr(n, c) for c in _OUTBOX_COLUMNS}
        dialect = self.session.get_bind().dialect.name
        stmt = _OUTBOX_INSERT[(dialect, n.dedupe_key is not None)]
        new_id = (await core_exec.execute_fixed(self.session, stmt, values)).scalar()
        if new_id is None:
            return False
        n.id = int(new_id)
        return True


class SqlAudit:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, entry: AuditEntry) -> None:
        await core_exec.execute_fixed(self.session, _AUDIT_INSERT, {
            "at": entry.at, "actor": entry.actor, "channel": entry.channel,
            "action": entry.action, "subject": entry.subject, "details": entry.details})
