"""Tables of the money side: payments and refunds as facts, the accounting journal, and
the FX rate table.

Amounts are `Amount` columns (exact decimals in the row's `currency`)."""

from __future__ import annotations

from sqlalchemy import CheckConstraint, Column, Date, ForeignKey, String, Table

from storage.orm_base import BigId, metadata
from storage.types import Amount, Rate, UTCDateTime

# Money received (kind payment) and paid back (kind refund): facts, never updated.
payments = Table(
    "payments", metadata,
    Column("id", BigId, primary_key=True, autoincrement=True),
    Column("order_id", BigId, ForeignKey("orders.id"), nullable=False, index=True),
    Column("kind", String(16), nullable=False),
    Column("amount", Amount, nullable=False),
    Column("currency", String(3), nullable=False),
    Column("method", String(64)),
    Column("reference", String(200)),
    Column("return_id", BigId),
    Column("at", UTCDateTime, nullable=False),
    CheckConstraint("amount > 0", name="amount_positive"),
)

journal_lines = Table(
    "journal_lines", metadata,
    Column("id", BigId, primary_key=True, autoincrement=True),
    Column("day", Date, nullable=False, index=True),
    Column("at", UTCDateTime, nullable=False),
    Column("entry", String(40), nullable=False),
    Column("account", String(32), nullable=False),
    Column("debit", Amount, nullable=False),
    Column("credit", Amount, nullable=False),
    Column("currency", String(3), nullable=False),
    Column("debit_base", Amount),
    Column("credit_base", Amount),
    Column("order_id", BigId, index=True),
    Column("return_id", BigId),
    Column("memo", String(300), nullable=False, server_default=""),
)


# 1 currency = rate base currency from valid_from (a day in OMSBOT_TIMEZONE) on.
fx_rates = Table(
    "fx_rates", metadata,
    Column("currency", String(3), primary_key=True),
    Column("valid_from", Date, primary_key=True),
    Column("rate", Rate, nullable=False),
    CheckConstraint("rate > 0", name="rate_positive"),
)
