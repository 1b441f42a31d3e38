"""Stock adjustments as facts: a count corrected up or down, with its reason and who made it
(the stock level itself is `stock_levels`, changed in the same transaction)."""

from __future__ import annotations

from sqlalchemy import CheckConstraint, Column, Integer, String, Table

from storage.orm_base import BigId, metadata
from storage.types import UTCDateTime

stock_adjustments = Table(
    "stock_adjustments", metadata,
    Column("id", BigId, primary_key=True, autoincrement=True),
    Column("sku", String(64), nullable=False, index=True),
    Column("warehouse", String(32), nullable=False),
    Column("delta", Integer, nullable=False),  # units added (+) or taken away (−)
    Column("on_hand", Integer, nullable=False),  # on hand after the adjustment
    Column("reason", String(500), nullable=False),
    Column("actor", String(200), nullable=False),  # who: a staff member, a token, `system`
    Column("channel", String(32), nullable=False),  # where: slack, console, api, cli
    Column("at", UTCDateTime, nullable=False),
    CheckConstraint("delta <> 0", name="delta_not_zero"),
)
