"""Catalogue and stock: products, warehouses, shipping methods and stock levels."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal


@dataclass(eq=False)
class Warehouse:
    code: str
    name: str
    country: str
    postal_code: str
    lat: float | None = None
    lon: float | None = None
    priority: int = 100
    city: str = ""
    line1: str = ""
    # run by a third-party logistics provider: {"webhook_url": …, "secret": …}
    fulfilment: dict[str, str] | None = None


@dataclass(eq=False)
class Product:
    sku: str
    name: str
    price: Decimal
    currency: str
    cost: Decimal | None = None
    barcode: str | None = None
    weight_g: int | None = None
    length_mm: int | None = None
    width_mm: int | None = None
    height_mm: int | None = None
    reorder_point: int = 0
    reorder_quantity: int = 0
    supplier_email: str | None = None
    allow_backorder: bool = False


@dataclass(eq=False)
class ShippingMethod:
    code: str
    name: str
    ship_within_hours: int
    transit_days: int
    price: Decimal | None = None
    currency: str | None = None


DEFAULT_SHIPPING_METHOD = ShippingMethod(
    code="standard", name="Standard", ship_within_hours=48, transit_days=5
)


@dataclass(eq=False)
class StockLevel:
    """Units of one SKU in one warehouse. `available` never goes below zero."""

    sku: str
    warehouse: str
    on_hand: int = 0
    reserved: int = 0
    # set while at or below the reorder point: one alert per crossing
    low_since: datetime | None = None

    @property
    def available(self) -> int:
        return self.on_hand - self.reserved
