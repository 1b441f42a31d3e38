"""The read side of fulfilment, as the channels see it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, Protocol

View = dict[str, Any]


@dataclass(frozen=True)
class Address:
    name: str
    line1: str
    postal_code: str
    city: str
    country: str
    line2: str = ""


@dataclass(frozen=True)
class LabelData:
    """What a 4×6 in shipping label shows."""

    shipment_id: int
    order: str
    sender: Address
    recipient: Address
    carrier: str
    carrier_name: str
    service: str
    service_name: str
    tracking_number: str
    tracking_link: str | None
    weight_g: int
    box: str | None
    shipped_on: date | None


@dataclass(frozen=True)
class SlipLine:
    sku: str
    name: str
    quantity: int
    bin: str | None
    barcode: str | None


@dataclass(frozen=True)
class SlipData:
    """What a packing slip shows: the order, where it goes, and its lines with their bins."""

    order: str
    placed_on: date
    warehouse: str
    warehouse_name: str
    recipient: Address
    shipping_method: str
    lines: tuple[SlipLine, ...]
    parcels: int


class FulfilmentViews(Protocol):
    async def rates(self, order_id: int, today: date) -> list[View] | None:
        """Per pending parcel: warehouse, box, weight_g and rates (cheapest first, the one
        `ship` would buy marked `chosen`); None when there is no such order."""
        ...

    async def label(self, shipment_id: int) -> LabelData | None: ...

    async def label_for_order(self, order_id: int) -> list[LabelData] | None:
        """Labels of an order's shipped parcels (None: no such order)."""
        ...

    async def slip(self, order_id: int) -> list[SlipData] | None:
        """One slip per warehouse the order's pending (else latest) shipments leave from."""
        ...

    async def open_pack(self, user: str) -> str | None:
        """The number of the order `user` is packing, if any."""
        ...

    async def has_warehouse(self, code: str) -> bool:
        """Whether a warehouse with this code exists."""
        ...

    async def third_party(self, warehouse: str) -> dict[str, str] | None:
        """The 3PL endpoint of a warehouse: {"webhook_url", "secret"}, or None."""
        ...

    async def third_party_of_shipment(self, shipment_id: int) -> dict[str, str] | None:
        """The 3PL endpoint of the warehouse a parcel leaves from, or None."""
        ...
