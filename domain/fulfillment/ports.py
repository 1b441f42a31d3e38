"""What fulfilment needs from storage: carriers, boxes, bins and pack sessions."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from domain.fulfillment.carriers import Carrier
from domain.fulfillment.pack_session import PackSession
from domain.fulfillment.packing import Box


class FulfilmentRepository(Protocol):
    async def carriers(self) -> list[Carrier]:
        """Every carrier, by code."""
        ...

    async def carrier(self, code: str) -> Carrier | None: ...

    async def put_carrier(self, carrier: Carrier) -> bool:
        """Store or replace the carrier's configuration (its number series keeps counting);
        True when it was new."""
        ...

    async def next_serial(self, carrier: str) -> int:
        """The next number of the carrier's tracking series (atomic, never handed out
        twice)."""
        ...

    async def boxes(self, warehouse: str) -> list[Box]: ...

    async def put_box(self, warehouse: str, box: Box) -> bool:
        """Store or replace a box size; True when it was new."""
        ...

    async def set_bin(self, sku: str, warehouse: str, bin_code: str) -> bool:
        """Put `sku`'s bin in `warehouse`; True when it had none there before."""
        ...

    async def bins(self, warehouse: str, skus: Sequence[str]) -> dict[str, str]:
        """SKU → bin location in `warehouse` (SKUs without one are left out)."""
        ...

    async def pack_session(self, user: str) -> PackSession | None:
        """The staff member's open pack session."""
        ...

    async def pack_session_of_order(self, order_id: int) -> PackSession | None: ...

    async def save_pack_session(self, session: PackSession) -> None:
        """Store the session (replacing the user's previous one)."""
        ...

    async def close_pack_session(self, user: str) -> None: ...

    async def order_of_shipment(self, shipment_id: int) -> int | None:
        """The id of the order a shipment (parcel) belongs to."""
        ...
