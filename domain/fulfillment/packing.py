"""Boxes and the packer: which boxes a shipment's units go into.

First-fit decreasing by volume with weight limits. Units are taken largest first; each goes
into the first open parcel whose remaining volume and weight take it and whose box holds the
unit's own dimensions (in any orientation: sorted edges against sorted edges). A unit that
fits no open parcel opens a new one in the largest box that holds it, so the shipment needs
as few boxes as possible; afterwards each parcel moves to the smallest box that still holds
its contents. Volume is the capacity measure (as the common shipping APIs do); the
per-unit edge check keeps a long item out of a box it cannot lie in.

We wrote this ourselves: the 3D packers on PyPI are unmaintained and wrong on simple cases
(py3dbp 1.1.2, last released 2019, fits 2 of 3 40×30×30 items into a 90×40×30 box).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from domain.errors import DomainError
from domain.texts import N_, Text

Dims = tuple[int, int, int]


@dataclass(frozen=True)
class Box:
    """A box size a warehouse packs into: inner dimensions in mm, limits in grams."""

    name: str
    length_mm: int
    width_mm: int
    height_mm: int
    max_weight_g: int
    tare_g: int = 0

    @property
    def dims(self) -> Dims:
        return (self.length_mm, self.width_mm, self.height_mm)

    @property
    def volume(self) -> int:
        return self.length_mm * self.width_mm * self.height_mm

    def holds(self, dims: Dims | None) -> bool:
        """True when an item of `dims` lies in the box in some orientation."""
        if dims is None:
            return True
        return all(a <= b for a, b in zip(sorted(dims), sorted(self.dims), strict=True))


@dataclass(frozen=True)
class Unit:
    """One unit of a SKU to pack (dimensions unknown: it takes no room)."""

    sku: str
    weight_g: int = 0
    dims: Dims | None = None

    @property
    def volume(self) -> int:
        return 0 if self.dims is None else self.dims[0] * self.dims[1] * self.dims[2]


@dataclass
class Parcel:
    """Units in one box (`box` None: the warehouse has no boxes; weighed without tare)."""

    box: Box | None
    units: list[Unit] = field(default_factory=list)

    @property
    def goods_g(self) -> int:
        return sum(u.weight_g for u in self.units)

    @property
    def weight_g(self) -> int:
        return self.goods_g + (self.box.tare_g if self.box else 0)

    @property
    def volume(self) -> int:
        return sum(u.volume for u in self.units)

    @property
    def dims(self) -> Dims | None:
        return None if self.box is None else self.box.dims

    def quantities(self) -> dict[str, int]:
        """SKU → units in this parcel, in the order they were packed."""
        counts: dict[str, int] = {}
        for unit in self.units:
            counts[unit.sku] = counts.get(unit.sku, 0) + 1
        return counts

    def takes(self, unit: Unit, box: Box) -> bool:
        return (box.holds(unit.dims) and self.volume + unit.volume <= box.volume
                and self.goods_g + unit.weight_g <= box.max_weight_g)


def pack(units: Sequence[Unit], boxes: Sequence[Box]) -> list[Parcel]:
    """Pack `units` into as few of `boxes` as first-fit decreasing finds, each parcel then in
    the smallest box that holds it. Without boxes: one parcel, no box. Raises DomainError
    naming a unit that no box holds (too big or too heavy)."""
    if not boxes:
        return [Parcel(None, list(units))] if units else []
    by_size = sorted(boxes, key=lambda b: (b.volume, b.max_weight_g, b.name))
    parcels: list[Parcel] = []
    for unit in sorted(units, key=lambda u: (-u.volume, -u.weight_g, u.sku)):
        target = next((p for p in parcels if p.box is not None and p.takes(unit, p.box)), None)
        if target is None:
            box = next((b for b in reversed(by_size) if Parcel(b).takes(unit, b)), None)
            if box is None:
                raise DomainError(Text.of(N_("No box takes %(sku)s: it is too big or too heavy "
                                             "for every box of the warehouse"), sku=unit.sku))
            target = Parcel(box)
            parcels.append(target)
        target.units.append(unit)
    for parcel in parcels:
        parcel.box = _smallest_for(parcel, by_size) or parcel.box
    return parcels


def _smallest_for(parcel: Parcel, by_size: Sequence[Box]) -> Box | None:
    for box in by_size:
        if (parcel.volume <= box.volume and parcel.goods_g <= box.max_weight_g
                and all(box.holds(u.dims) for u in parcel.units)):
            return box
    return None
