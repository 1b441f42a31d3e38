"""Scan to pack: a packer opens an order, scans each unit (a product barcode or its SKU),
and the session checks it against what the order's parcels still need.

One open session per staff member and per order; it is stored, so a packer may switch
terminals (or the process may restart) mid-order.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime

from domain.errors import DomainError
from domain.texts import N_, Text


@dataclass(eq=False)
class PackSession:
    user: str  # the staff member packing (Slack user id, or "console")
    order_id: int
    order: str  # its number, for messages
    expected: dict[str, int]  # SKU → units the parcels need
    opened_at: datetime
    scanned: dict[str, int] = field(default_factory=dict)

    def remaining(self) -> dict[str, int]:
        """SKU → units still to scan, in the order's line order."""
        return {sku: n - self.scanned.get(sku, 0) for sku, n in self.expected.items()
                if n > self.scanned.get(sku, 0)}

    @property
    def complete(self) -> bool:
        return not self.remaining()

    def scan(self, code: str, sku_of: Mapping[str, str]) -> str:
        """Check one unit in; returns its SKU. `sku_of`: every code that names one of the
        expected products (barcodes and SKUs, upper-cased) → its SKU. Raises DomainError
        for an item the order does not need (any more), saying what is expected."""
        sku = sku_of.get(code.strip().upper())
        if sku is None or sku not in self.remaining():
            what = code.strip() if sku is None else Text.of(N_("Another %(sku)s"), sku=sku)
            raise DomainError(Text.of(
                N_("%(what)s does not belong in %(order)s: still expected %(expected)s"),
                what=what, order=self.order, expected=_listed(self.remaining())))
        self.scanned = {**self.scanned, sku: self.scanned.get(sku, 0) + 1}
        return sku


def _listed(counts: Mapping[str, int]) -> list[str] | Text:
    return [f"{n} × {sku}" for sku, n in counts.items()] or Text(N_("nothing"))


@dataclass(frozen=True)
class PackProgress:
    """What a `pack` or `scan` did: the order, the unit just checked, and what is left."""

    order_id: int
    order: str
    sku: str | None
    scanned: int
    expected: int
    remaining: dict[str, int]
    complete: bool

    @classmethod
    def of(cls, session: PackSession, sku: str | None) -> PackProgress:
        return cls(session.order_id, session.order, sku, sum(session.scanned.values()),
                   sum(session.expected.values()), session.remaining(), session.complete)
