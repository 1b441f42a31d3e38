"""Tables of fulfilment: carriers (their services as JSON), boxes per warehouse, bins."""

from __future__ import annotations

from sqlalchemy import JSON, BigInteger, Column, ForeignKey, Integer, String, Table, Text

from storage.orm_base import BigId, metadata
from storage.types import UTCDateTime

carriers = Table(
    "carriers", metadata,
    Column("code", String(32), primary_key=True),
    Column("name", String(200), nullable=False),
    Column("tracking_url", Text),
    Column("tracking_prefix", String(8)),
    # the next number of the carrier's tracking series (handed out by one UPDATE … RETURNING)
    Column("next_serial", BigInteger, nullable=False, server_default="1"),
    Column("services", JSON, nullable=False),
)

boxes = Table(
    "boxes", metadata,
    Column("warehouse", String(32), ForeignKey("warehouses.code"), primary_key=True),
    Column("name", String(32), primary_key=True),
    Column("length_mm", Integer, nullable=False),
    Column("width_mm", Integer, nullable=False),
    Column("height_mm", Integer, nullable=False),
    Column("max_weight_g", Integer, nullable=False),
    Column("tare_g", Integer, nullable=False, server_default="0"),
)

bins = Table(
    "bins", metadata,
    Column("sku", String(64), ForeignKey("products.sku"), primary_key=True),
    Column("warehouse", String(32), ForeignKey("warehouses.code"), primary_key=True),
    Column("bin", String(44), nullable=False),
)

pack_sessions = Table(
    "pack_sessions", metadata,
    Column("user_id", String(200), primary_key=True),
    Column("order_id", BigId, ForeignKey("orders.id"), nullable=False, unique=True),
    Column("order_number", String(20), nullable=False),
    Column("expected", JSON, nullable=False),
    Column("scanned", JSON, nullable=False),
    Column("opened_at", UTCDateTime, nullable=False),
)
