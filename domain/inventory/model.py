"""Catalogue and stock: products, warehouses, shipping methods and stock levels."""

from __future__ import annotations

from dataclasses import dataclass, field
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
    tax_rate: Decimal | None = None  # VAT percent; None: 0 unless a line says otherwise


@dataclass(eq=False)
class ShippingMethod:
    """A way to ship with its promises and its price per currency.

    `prices`: {ISO 4217 code: decimal string in that currency}, e.g. {"EUR": "4.90"}.
    No prices at all: the method is free in every currency. `price`/`currency` mirror one
    entry for clients that know a single price."""

    code: str
    name: str
    ship_within_hours: int
    transit_days: int
    price: Decimal | None = None
    currency: str | None = None
    prices: dict[str, str] = field(default_factory=dict)

    def price_in(self, currency: str) -> Decimal | None:
        """The price of shipping an order in `currency` (decimal in that currency);
        None when the method is priced, but not in this currency."""
        prices = self.prices or ({self.currency: str(self.price)}
                                 if self.price is not None and self.currency else {})
        if not prices:
            return Decimal(0)
        value = prices.get(currency)
        return Decimal(value) if value is not None else None

    @property
    def currencies(self) -> list[str]:
        return sorted(self.prices) or ([self.currency] if self.currency else [])


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


@dataclass(frozen=True)
class StockAdjustment:
    """The record of one adjustment: `delta` units (never 0) of `sku` at `warehouse`,
    leaving `on_hand`; `actor` and `channel` say who made it and where; `at` aware UTC."""

    sku: str
    warehouse: str
    delta: int
    on_hand: int
    reason: str
    actor: str
    channel: str
    at: datetime
