"""The imperative mapping of the domain's plain classes onto the tables (storage.orm),
once per process, with the event-free constructors of storage.orm_init."""

from __future__ import annotations

from sqlalchemy.orm import configure_mappers, registry, relationship

from domain.accounting.model import Payment
from domain.automation.model import PurchaseOrder
from domain.customers.model import Customer, TelegramLink
from domain.inventory.model import Product, ShippingMethod, StockLevel, Warehouse
from domain.notifications import AuditEntry, Notification
from domain.orders.model import Order, OrderLine, Shipment, ShipmentItem
from domain.returns.model import ReturnLine, ReturnRequest
from storage import orm_init, orm_money
from storage.orm import (
    audit_log,
    customers,
    metadata,
    notifications,
    order_lines,
    orders,
    products,
    purchase_orders,
    return_lines,
    returns,
    shipment_items,
    shipments,
    shipping_methods,
    stock_levels,
    telegram_links,
    warehouses,
)

mapper_registry = registry(metadata=metadata)
_mapped = False


def start_mappers() -> None:
    """Map the domain classes once per process."""
    global _mapped
    if _mapped:
        return
    _mapped = True
    reg = mapper_registry
    reg.map_imperatively(Warehouse, warehouses)
    reg.map_imperatively(Product, products)
    reg.map_imperatively(ShippingMethod, shipping_methods)
    reg.map_imperatively(StockLevel, stock_levels)
    reg.map_imperatively(Customer, customers)
    reg.map_imperatively(TelegramLink, telegram_links)
    reg.map_imperatively(OrderLine, order_lines)
    reg.map_imperatively(ShipmentItem, shipment_items)
    reg.map_imperatively(Shipment, shipments, properties={
        "items": relationship(ShipmentItem, lazy="selectin", cascade="all, delete-orphan",
                              order_by=shipment_items.c.id),
    })
    reg.map_imperatively(Order, orders, properties={
        "lines": relationship(OrderLine, lazy="selectin", cascade="all, delete-orphan",
                              order_by=order_lines.c.id),
        "shipments": relationship(Shipment, lazy="selectin", cascade="all, delete-orphan",
                                  order_by=shipments.c.id),
    })
    reg.map_imperatively(ReturnLine, return_lines)
    reg.map_imperatively(ReturnRequest, returns, properties={
        "lines": relationship(ReturnLine, lazy="selectin", cascade="all, delete-orphan",
                              order_by=return_lines.c.id),
    })
    reg.map_imperatively(Payment, orm_money.payments)
    reg.map_imperatively(Notification, notifications)
    reg.map_imperatively(AuditEntry, audit_log)
    reg.map_imperatively(PurchaseOrder, purchase_orders)
    # Configure now, not on the first ORM query: instances made before mapping (such as
    # DEFAULT_SHIPPING_METHOD) cannot be read until the mappers are configured.
    configure_mappers()
    for mapper in reg.mappers:
        orm_init.install(mapper)
