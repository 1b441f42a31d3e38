"""Placing an order: idempotency, validation, promises, routing and reservation."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from datetime import UTC, timedelta
from decimal import Decimal

from domain.accounting.allocation import shipment_revenue
from domain.accounting.payments import store_payment
from domain.accounting.tax import MAX_RATE, line_rate
from domain.customers.model import Customer, normalise_email
from domain.errors import InsufficientStock, InvalidInput
from domain.events import OrderBackordered, OrderPlaced
from domain.input_policy import CHANNEL_PATTERN, sales_channel, sku_key
from domain.inventory.model import DEFAULT_SHIPPING_METHOD, Product, ShippingMethod
from domain.inventory.routing import Allocation, Destination, plan_allocation
from domain.messagebus import Context
from domain.money import CURRENCIES, quantize
from domain.orders import model as m
from domain.orders.commands import LineRequest, PlaceOrder, PlaceOrderResult
from domain.orders.idempotency import existing_order, request_fingerprint
from domain.orders.snapshot import order_view
from domain.ports import UnitOfWork
from domain.texts import N_, Text

HISTORY_STATUSES = (m.SHIPPED, m.DELIVERED, m.COMPLETED, m.CANCELLED)


async def place_order(cmd: PlaceOrder, uow: UnitOfWork, ctx: Context) -> PlaceOrderResult:
    products = await uow.reference.products(sorted({ln.sku for ln in cmd.lines}))
    cmd = _with_catalogue_skus(cmd, products)
    fingerprint = request_fingerprint(cmd)
    email = _email_or_none(cmd)
    await uow.orders.read_ahead(cmd.channel, cmd.external_id, email,
                                cmd.lines[0].sku if len(cmd.lines) == 1 else None)
    existing = await existing_order(cmd, fingerprint, uow)
    if existing is not None:
        return existing
    method, shipping = await _check(cmd, products, uow)
    customer = await _customer(cmd, email, uow, ctx)
    placed_at = (cmd.placed_at or ctx.clock.now()).astimezone(UTC)
    ship_by = placed_at + timedelta(hours=method.ship_within_hours)
    order = m.Order(
        external_id=cmd.external_id, channel=cmd.channel, currency=cmd.currency,
        customer_id=_id(customer.id), shipping_address=dict(cmd.shipping_address),
        shipping_method=method.code, placed_at=placed_at, promised_ship_by=ship_by,
        promised_delivery=ctx.config.day_of(ship_by) + timedelta(days=method.transit_days),
        flags=list(dict.fromkeys(cmd.flags)), idempotency_key=cmd.idempotency_key,
        idempotency_scope=cmd.idempotency_scope, request_fingerprint=fingerprint,
        prices_include_tax=ctx.config.prices_include_tax,
    )
    for ln in cmd.lines:
        product = products[ln.sku]
        order.lines.append(m.OrderLine(
            sku=ln.sku, name=product.name, quantity=ln.quantity,
            unit_price=ln.unit_price if ln.unit_price is not None else product.price,
            unit_cost=ln.unit_cost if ln.unit_cost is not None else product.cost,
            tax_rate=line_rate(ln.tax_rate, product.tax_rate),
        ))
    # A replacement (an exchange) ships free: the original order paid for it.
    order.shipping_total = Decimal(0) if "replacement" in order.flags else shipping
    order.recompute_totals(lambda amount: quantize(amount, cmd.currency))
    order.status = m.CONFIRMED if cmd.payment_status == "paid" or order.total <= 0 \
        else m.PENDING_PAYMENT
    if cmd.status in HISTORY_STATUSES:
        _as_history(order, cmd)
    else:
        await _allocate(order, products, uow)
    # Counted before the insert so the order row is written once, with what was paid.
    paid = (order.due if cmd.payment_status == "paid" and cmd.status != m.CANCELLED
            else Decimal(0))
    if paid:
        order.record_payment(paid)
    await uow.orders.add(order)
    oid = _id(order.id)
    if paid:
        await store_payment(order, paid, uow, ctx, at=order.placed_at, method=cmd.channel,
                            reference=cmd.external_id)
    ctx.audit("order.place", order.number, channel=cmd.channel, external_id=cmd.external_id,
              status=order.status, total=str(order.total))
    if cmd.status in (m.SHIPPED, m.DELIVERED, m.COMPLETED):
        ctx.emit(shipment_revenue(order, None))
    if order.status == m.BACKORDERED and cmd.notify:
        ctx.emit(OrderBackordered(oid, tuple(sorted({ln.sku for ln in order.lines}))))
    ctx.emit(OrderPlaced(oid, _id(customer.id), order.status, tuple(order.flags),
                         notify_customer=cmd.notify and cmd.status not in HISTORY_STATUSES))
    view = order_view(order, customer, method.name)
    return PlaceOrderResult(oid, order.number, created=True, view=view)


def _id(value: int | None) -> int:
    assert value is not None
    return value


def _with_catalogue_skus(cmd: PlaceOrder, products: dict[str, Product]) -> PlaceOrder:
    """Lines name SKUs in any case; the order keeps the catalogue's own spelling. The
    channel name takes its one spelling (the input policy's `sales_channel`)."""
    own = {sku_key(sku): sku for sku in products}
    channel = sales_channel(cmd.channel)
    lines = tuple(_spelled(ln, own.get(sku_key(ln.sku), ln.sku)) for ln in cmd.lines)
    if channel == cmd.channel and all(a is b for a, b in zip(lines, cmd.lines, strict=True)):
        return cmd  # as spelled already: no copies (most orders)
    return replace(cmd, channel=channel, lines=lines)


def _spelled(line: LineRequest, sku: str) -> LineRequest:
    return line if line.sku == sku else replace(line, sku=sku)


async def _check(cmd: PlaceOrder, products: dict[str, Product], uow: UnitOfWork
                 ) -> tuple[ShippingMethod, Decimal]:
    problems: list[tuple[str, Text]] = []
    if CHANNEL_PATTERN.fullmatch(cmd.channel) is None:
        problems.append(("channel", Text(N_("use letters, digits, '-' or '_' (at most 40)"))))
    if cmd.currency not in CURRENCIES:
        problems.append(("currency", Text.of(N_("%(value)s is not an ISO 4217 currency code"),
                                             value=repr(cmd.currency))))
    if not cmd.lines:
        problems.append(("lines", Text(N_("an order needs at least one line"))))
    for flag in cmd.flags:
        if flag not in m.FLAGS:
            problems.append(("flags", Text.of(N_("%(value)s is not one of %(allowed)s"),
                                              value=repr(flag), allowed=list(m.FLAGS))))
    for i, ln in enumerate(cmd.lines):
        if ln.quantity <= 0:
            problems.append((f"lines.{i}.quantity",
                             Text(N_("must be a positive whole number"))))
        product = products.get(ln.sku)
        if product is None:
            problems.append((f"lines.{i}.sku", Text.of(N_("unknown SKU %(sku)s"),
                                                       sku=repr(ln.sku))))
        elif ln.unit_price is None and product.currency != cmd.currency:
            problems.append((f"lines.{i}.unit_price", Text.of(
                N_("required: %(sku)s is priced in %(currency)s"),
                sku=ln.sku, currency=product.currency)))
    problems.extend(_history_problems(cmd))
    method = await _shipping_method(cmd.shipping_method, uow)
    price = method.price_in(cmd.currency) if method is not None else None
    if method is None:
        problems.append(("shipping_method", Text.of(N_("unknown shipping method %(code)s"),
                                                    code=repr(cmd.shipping_method))))
    elif price is None and "replacement" not in cmd.flags:
        problems.append(("shipping_method", Text.of(
            N_("%(code)s has no price in %(currency)s (it is priced in %(currencies)s)"),
            code=method.code, currency=cmd.currency, currencies=list(method.currencies))))
    for i, ln in enumerate(cmd.lines):
        if ln.tax_rate is not None and not 0 <= ln.tax_rate <= MAX_RATE:
            problems.append((f"lines.{i}.tax_rate",
                             Text(N_("must be a percentage from 0 to 100"))))
    if problems:
        raise InvalidInput(problems)
    assert method is not None
    return method, price or Decimal(0)


def _history_problems(cmd: PlaceOrder) -> list[tuple[str, Text]]:
    """Imported history must be in order: placed ≤ shipped ≤ delivered."""
    problems: list[tuple[str, Text]] = []
    placed, shipped, delivered = cmd.placed_at, cmd.shipped_at, cmd.delivered_at
    if shipped is not None and placed is not None and shipped < placed:
        problems.append(("shipped_at", Text.of(N_("is before %(field)s"), field="placed_at")))
    if delivered is not None and shipped is not None and delivered < shipped:
        problems.append(("delivered_at", Text.of(N_("is before %(field)s"), field="shipped_at")))
    elif delivered is not None and placed is not None and delivered < placed:
        problems.append(("delivered_at", Text.of(N_("is before %(field)s"), field="placed_at")))
    return problems


async def _shipping_method(code: str | None, uow: UnitOfWork) -> ShippingMethod | None:
    method = await uow.reference.shipping_method(code or DEFAULT_SHIPPING_METHOD.code)
    if method is None and code in (None, DEFAULT_SHIPPING_METHOD.code):
        return DEFAULT_SHIPPING_METHOD
    return method


def _email_or_none(cmd: PlaceOrder) -> str | None:
    """The customer's e-mail as `_customer` looks it up; None when it is not valid (that
    error is `_customer`'s to raise, after the checks that come before it)."""
    try:
        return normalise_email(cmd.customer.email, "customer.email")
    except InvalidInput:
        return None


async def _customer(cmd: PlaceOrder, email: str | None, uow: UnitOfWork, ctx: Context
                    ) -> Customer:
    """`email`: the command's, normalised (`_email_or_none`); None raises its InvalidInput."""
    if email is None:
        email = normalise_email(cmd.customer.email, "customer.email")
    customer = await uow.customers.by_email(email)
    if customer is None:
        customer = Customer(email=email, name=cmd.customer.name, phone=cmd.customer.phone,
                            locale=cmd.customer.locale, created_at=ctx.clock.now())
        await uow.customers.add(customer)
        return customer
    # The newest details the customer gave win; blanks never erase what we know.
    if cmd.customer.name and cmd.customer.name != customer.name:
        customer.name = cmd.customer.name
    if cmd.customer.phone and cmd.customer.phone != customer.phone:
        customer.phone = cmd.customer.phone
    if cmd.customer.locale and cmd.customer.locale != customer.locale:
        customer.locale = cmd.customer.locale
    return customer


def _as_history(order: m.Order, cmd: PlaceOrder) -> None:
    """An imported order that already shipped: no stock moves, no messages."""
    assert cmd.status is not None
    order.status = cmd.status
    if cmd.status == m.CANCELLED:
        return
    order.shipped_at = cmd.shipped_at or order.placed_at
    if cmd.status in (m.DELIVERED, m.COMPLETED):
        order.delivered_at = cmd.delivered_at or order.shipped_at


async def _allocate(order: m.Order, products: dict[str, Product], uow: UnitOfWork) -> None:
    wanted = Counter[str]()
    for ln in order.lines:
        wanted[ln.sku] += ln.quantity
    if await _queue_ahead(dict(wanted), products, uow):
        order.status = m.BACKORDERED  # older backorders wait for these SKUs: join the queue
        return
    try:
        allocations = await plan_for(dict(wanted), order.shipping_address, uow)
    except InsufficientStock as shortage:
        if all(products[s.sku].allow_backorder for s in shortage.shortages):
            order.status = m.BACKORDERED
            return
        raise
    await reserve_into(order, allocations, uow)


async def _queue_ahead(wanted: dict[str, int], products: dict[str, Product], uow: UnitOfWork
                       ) -> bool:
    """True when older backorders wait for a backorderable SKU this order wants."""
    backorderable = sorted(s for s in wanted if products[s].allow_backorder)
    if not backorderable:
        return False
    return bool(await uow.orders.backordered_with(backorderable, lock=False))


async def plan_for(
    wanted: dict[str, int], address: dict[str, object], uow: UnitOfWork
) -> list[Allocation]:
    levels = await uow.stock.levels(sorted(wanted))
    available = {(lv.warehouse, lv.sku): lv.available for lv in levels}
    dest = Destination(
        country=str(address.get("country", "")), postal_code=str(address.get("postal_code", "")),
        lat=_float(address.get("lat")), lon=_float(address.get("lon")),
    )
    return plan_allocation(wanted, available, await uow.reference.warehouses(), dest)


async def reserve_into(order: m.Order, allocations: list[Allocation], uow: UnitOfWork) -> None:
    """Reserve the allocated units and put them in the order's shipments. The units are
    reserved by the commit (uow.stock.reserve_on_commit): if another order took them since
    `plan_for` read the levels, the commit raises Retry and the command runs again."""
    for a in allocations:
        uow.stock.reserve_on_commit(a.sku, a.warehouse, a.quantity)
    by_warehouse: dict[str, m.Shipment] = {}
    for a in allocations:
        shipment = by_warehouse.setdefault(a.warehouse, m.Shipment(warehouse=a.warehouse))
        shipment.items.append(m.ShipmentItem(sku=a.sku, quantity=a.quantity))
    order.shipments.extend(by_warehouse.values())


def _float(value: object) -> float | None:
    if value is None or value == "":
        return None
    try:
        return float(str(value))
    except ValueError:
        return None
