"""Commands of fulfilment: carriers, boxes, bins, rate choice."""

from __future__ import annotations

from dataclasses import dataclass

from domain.fulfillment.carriers import CarrierService
from domain.fulfillment.packing import Box
from domain.inventory.commands import Upserted as Upserted


@dataclass(frozen=True)
class UpsertCarrier:
    code: str
    name: str
    services: tuple[CarrierService, ...]
    tracking_url: str | None = None
    tracking_prefix: str | None = None


@dataclass(frozen=True)
class UpsertBox:
    warehouse: str
    box: Box


@dataclass(frozen=True)
class SetBin:
    """Where a SKU lies in a warehouse: `A-03-2` is zone A, aisle 03, shelf 2."""

    sku: str
    warehouse: str
    bin: str


@dataclass(frozen=True)
class ChooseRate:
    """Staff override the rate shop: the order's parcels go with this carrier service."""

    order_id: int
    carrier: str
    service: str


@dataclass(frozen=True)
class StartPacking:
    """`user` starts checking the order's units into its parcels."""

    order_id: int
    user: str


@dataclass(frozen=True)
class ScanItem:
    """One scanned code (product barcode or SKU) into `user`'s open pack session."""

    user: str
    code: str
