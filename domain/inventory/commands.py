"""Commands on the catalogue and stock."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class Upserted:
    """What an upsert did: `key` (the code or SKU as stored) and whether it `created` the
    record (else it replaced one): the HTTP API answers 201 or 200 from it."""

    key: str
    created: bool


@dataclass(frozen=True)
class UpsertWarehouse:
    code: str
    name: str
    country: str
    postal_code: str
    lat: float | None = None
    lon: float | None = None
    priority: int = 100
    city: str = ""
    line1: str = ""
    fulfilment: dict[str, str] | None = None  # a 3PL: {"webhook_url", "secret"}


@dataclass(frozen=True)
class UpsertProduct:
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
    tax_rate: Decimal | None = None  # VAT percent, 0 to 100


@dataclass(frozen=True)
class UpsertShippingMethod:
    """`prices`: {ISO 4217 code: decimal amount in that currency}; `price` + `currency`
    is the one-currency form of the same (both may be given; they are merged)."""

    code: str
    name: str
    ship_within_hours: int
    transit_days: int
    price: Decimal | None = None
    currency: str | None = None
    prices: tuple[tuple[str, Decimal], ...] = ()


@dataclass(frozen=True)
class ReceiveStock:
    sku: str
    warehouse: str | None  # None: the product's first (highest-priority) warehouse
    quantity: int


@dataclass(frozen=True)
class StockReceived:
    sku: str
    warehouse: str
    on_hand: int
    reserved: int
    available: int
    allocated_orders: tuple[int, ...] = ()
    closed_purchase_orders: tuple[str, ...] = ()  # numbers of the POs this receipt closed


ADJUST_MODES = ("+", "-", "=")


@dataclass(frozen=True)
class AdjustStock:
    """Correct the count of `sku` at `warehouse` (a stock take, damage, a find): `mode`
    `+` adds `quantity` units, `-` takes them away, `=` sets on hand to `quantity`.
    `reason` says why (required: it is kept with the adjustment)."""

    sku: str
    warehouse: str
    mode: str
    quantity: int
    reason: str


@dataclass(frozen=True)
class StockAdjusted:
    """An adjustment made: `delta` units (+/−) at `warehouse`, the level after it, and the
    backordered orders its new units served."""

    adjustment_id: int
    sku: str
    warehouse: str
    delta: int
    on_hand: int
    reserved: int
    available: int
    reason: str
    allocated_orders: tuple[int, ...] = ()
