"""Staff requests about stock: a product's stock, receiving units, low stock, and the
purchase orders drafted to refill it."""

from __future__ import annotations

from dataclasses import dataclass

from channels.staff_requests.base import Change, Query


@dataclass(frozen=True, slots=True)
class ShowStock(Query):
    command = "stock"
    sku: str


@dataclass(frozen=True, slots=True)
class ReceiveStock(Change):
    command = "receive"
    sku: str
    quantity: int
    warehouse: str | None = None


@dataclass(frozen=True, slots=True)
class AdjustStock(Change):
    """Correct a count: `mode` `+`, `-` or `=` `quantity` units of `sku` at `warehouse`."""

    command = "adjust"
    sku: str
    warehouse: str
    mode: str
    quantity: int
    reason: str


@dataclass(frozen=True, slots=True)
class LowStock(Query):
    command = "lowstock"


@dataclass(frozen=True, slots=True)
class PurchaseOrders(Query):
    command = "po"


@dataclass(frozen=True, slots=True)
class ApprovePurchaseOrder(Change):
    command = "po"
    id: int
