"""Handlers for the catalogue and stock."""

from __future__ import annotations

import re
from dataclasses import replace

from domain.accounting.tax import MAX_RATE
from domain.errors import PRODUCT, WAREHOUSE, DomainError, InvalidInput, NotFound, name_rule
from domain.inventory import commands as c
from domain.inventory.backorders import serve_backorders
from domain.inventory.model import Product, ShippingMethod, Warehouse
from domain.messagebus import Context
from domain.money import CURRENCIES
from domain.ports import UnitOfWork
from domain.texts import N_, Text

SKU_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
CODE_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$")


async def upsert_warehouse(cmd: c.UpsertWarehouse, uow: UnitOfWork, ctx: Context
                           ) -> c.Upserted:
    problems: list[tuple[str, Text]] = []
    if not CODE_PATTERN.match(cmd.code):
        problems.append(("code", name_rule(32)))
    if len(cmd.country) != 2 or not cmd.country.isalpha():
        problems.append(("country", Text(N_("must be an ISO 3166 two-letter country code"))))
    if problems:
        raise InvalidInput(problems)
    existing = await uow.warehouses.get(cmd.code)
    fields = {"name": cmd.name, "country": cmd.country.upper(), "postal_code": cmd.postal_code,
              "lat": cmd.lat, "lon": cmd.lon, "priority": cmd.priority, "city": cmd.city,
              "line1": cmd.line1, "fulfilment": cmd.fulfilment}
    if existing is None:
        await uow.warehouses.add(Warehouse(code=cmd.code, **fields))  # type: ignore[arg-type]
    else:
        for key, value in fields.items():
            setattr(existing, key, value)
    ctx.audit("warehouse.upsert", cmd.code)
    return c.Upserted(cmd.code, existing is None)


async def upsert_product(cmd: c.UpsertProduct, uow: UnitOfWork, ctx: Context) -> c.Upserted:
    problems: list[tuple[str, Text]] = []
    if not SKU_PATTERN.match(cmd.sku):
        problems.append(("sku", name_rule(64)))
    if cmd.currency not in CURRENCIES:
        problems.append(("currency", Text.of(N_("%(value)s is not an ISO 4217 currency code"),
                                             value=repr(cmd.currency))))
    if cmd.reorder_point < 0 or cmd.reorder_quantity < 0:
        problems.append(("reorder_point", Text(N_("reorder figures must not be negative"))))
    if cmd.tax_rate is not None and not 0 <= cmd.tax_rate <= MAX_RATE:
        problems.append(("tax_rate", Text(N_("must be a percentage from 0 to 100"))))
    if problems:
        raise InvalidInput(problems)
    fields = {k: getattr(cmd, k) for k in (
        "name", "price", "currency", "cost", "barcode", "weight_g", "length_mm", "width_mm",
        "height_mm", "reorder_point",
        "reorder_quantity", "supplier_email", "allow_backorder", "tax_rate")}
    existing = await uow.products.get(cmd.sku)  # a SKU keeps the case it was created with
    if existing is None:
        await uow.products.add(Product(sku=cmd.sku, **fields))
    else:
        for key, value in fields.items():
            setattr(existing, key, value)
    sku = cmd.sku if existing is None else existing.sku
    ctx.audit("product.upsert", sku)
    return c.Upserted(sku, existing is None)


async def upsert_shipping_method(
    cmd: c.UpsertShippingMethod, uow: UnitOfWork, ctx: Context
) -> c.Upserted:
    problems: list[tuple[str, Text]] = []
    if not CODE_PATTERN.match(cmd.code):
        problems.append(("code", name_rule(32)))
    if cmd.ship_within_hours < 0 or cmd.transit_days < 0:
        problems.append(("ship_within_hours", Text(N_("promises must not be negative"))))
    if (cmd.price is None) != (cmd.currency is None):
        problems.append(("currency", Text(N_("price and currency go together"))))
    prices = dict(cmd.prices)
    if cmd.price is not None and cmd.currency is not None:
        prices.setdefault(cmd.currency, cmd.price)
    problems += [(f"prices.{cur}", Text(N_("is not an ISO 4217 currency code")))
                 for cur in prices if cur not in CURRENCIES]
    if problems:
        raise InvalidInput(problems)
    first = sorted(prices)[0] if prices else None
    fields = {"name": cmd.name, "ship_within_hours": cmd.ship_within_hours,
              "transit_days": cmd.transit_days, "prices": {c: str(p) for c, p in prices.items()},
              "price": cmd.price if cmd.price is not None else prices.get(first or ""),
              "currency": cmd.currency or first}
    existing = await uow.shipping_methods.get(cmd.code)
    if existing is None:
        await uow.shipping_methods.add(ShippingMethod(code=cmd.code, **fields))  # type: ignore[arg-type]
    else:
        for key, value in fields.items():
            setattr(existing, key, value)
    ctx.audit("shipping_method.upsert", cmd.code)
    return c.Upserted(cmd.code, existing is None)


async def receive_stock(cmd: c.ReceiveStock, uow: UnitOfWork, ctx: Context) -> c.StockReceived:
    if cmd.quantity <= 0:
        raise InvalidInput([("quantity", Text(N_("must be a positive whole number")))])
    product = await uow.products.get(cmd.sku)
    if product is None:
        raise NotFound(PRODUCT, cmd.sku)
    cmd = replace(cmd, sku=product.sku)
    warehouses = await uow.warehouses.list_all()
    if cmd.warehouse is None:
        if not warehouses:
            raise DomainError(Text(N_("There is no warehouse yet: add one first")))
        code = min(warehouses, key=lambda w: (w.priority, w.code)).code
    elif any(w.code == cmd.warehouse for w in warehouses):
        code = cmd.warehouse
    else:
        raise NotFound(WAREHOUSE, cmd.warehouse)
    level = await uow.stock.receive(cmd.sku, code, cmd.quantity)
    ctx.audit("stock.receive", cmd.sku, warehouse=code, quantity=cmd.quantity)
    closed = await close_purchase_orders(cmd.sku, code, uow, ctx)
    allocated = await serve_backorders([cmd.sku], uow, ctx)
    level = await uow.stock.get(cmd.sku, code) or level
    return c.StockReceived(cmd.sku, code, level.on_hand, level.reserved, level.available,
                           tuple(allocated), closed)


async def close_purchase_orders(sku: str, warehouse: str, uow: UnitOfWork, ctx: Context
                                ) -> tuple[str, ...]:
    """Stock arrived: the open purchase orders of this SKU and warehouse are closed."""
    closed: list[str] = []
    for po in await uow.purchase_orders.open_for(sku, warehouse):
        po.close_on_receipt(ctx.clock.now())
        ctx.audit("purchase_order." + po.status, po.number, sku=sku, warehouse=warehouse)
        closed.append(po.number)
    return tuple(closed)
