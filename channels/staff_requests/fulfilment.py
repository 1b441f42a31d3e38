"""Staff requests about fulfilment: carrier rates and the chosen one, the label and the
packing slip, packing with a scanner, and pick lists."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, get_args

from channels.staff_requests.base import Change, Query

PickStrategy = Literal["single", "batch", "zone", "wave"]
PICK_STRATEGIES: tuple[PickStrategy, ...] = get_args(PickStrategy)


@dataclass(frozen=True, slots=True)
class ShowRates(Query):
    command = "rates"
    number: int


@dataclass(frozen=True, slots=True)
class ChooseRate(Change):
    command = "rates"
    number: int
    carrier: str
    service: str


@dataclass(frozen=True, slots=True)
class ShippingLabel(Query):
    command = "label"
    number: int


@dataclass(frozen=True, slots=True)
class PackingSlip(Query):
    command = "slip"
    number: int


@dataclass(frozen=True, slots=True)
class StartPacking(Change):
    command = "pack"
    number: int


@dataclass(frozen=True, slots=True)
class Scan(Change):
    """One scanned code (a product barcode or a SKU) into the open pack session."""

    command = "scan"
    code: str


@dataclass(frozen=True, slots=True)
class PickList(Query):
    """A list to pick from; it does not move any order (starting to pick is `pick`)."""

    command = "picklist"
    strategy: PickStrategy
    warehouse: str | None = None
    batch_size: int | None = None
