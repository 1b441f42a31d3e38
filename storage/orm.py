"""The tables (those of other contexts live in their own modules on this metadata, and
are re-exported here); storage.mapping maps the domain's plain classes onto them."""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    CheckConstraint,
    Column,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
    func,
)

from storage.orm_base import BigId as BigId
from storage.orm_base import metadata as metadata
from storage.types import Amount, UTCDateTime

warehouses = Table(
    "warehouses", metadata,
    Column("code", String(32), primary_key=True),
    Column("name", String(200), nullable=False),
    Column("country", String(2), nullable=False),
    Column("postal_code", String(32), nullable=False),
    Column("city", String(200), nullable=False, server_default=""),
    Column("line1", String(200), nullable=False, server_default=""),
    Column("lat", Float),
    Column("lon", Float),
    Column("priority", Integer, nullable=False, server_default="100"),
    Column("fulfilment", JSON),  # a 3PL's webhook_url and secret
)

products = Table(
    "products", metadata,
    Column("sku", String(64), primary_key=True),
    Column("name", String(300), nullable=False),
    Column("price", Amount, nullable=False),
    Column("currency", String(3), nullable=False),
    Column("cost", Amount),
    Column("barcode", String(64)),
    Column("weight_g", Integer),
    Column("length_mm", Integer),
    Column("width_mm", Integer),
    Column("height_mm", Integer),
    Column("reorder_point", Integer, nullable=False, server_default="0"),
    Column("reorder_quantity", Integer, nullable=False, server_default="0"),
    Column("supplier_email", String(254)),
    Column("allow_backorder", Boolean, nullable=False, server_default="0"),
    Column("tax_rate", Amount),  # VAT percent
)
# A SKU keeps the case it was created with and is unique without regard to it.
Index("uq_products_sku_lower", func.lower(products.c.sku), unique=True)

shipping_methods = Table(
    "shipping_methods", metadata,
    Column("code", String(32), primary_key=True),
    Column("name", String(200), nullable=False),
    Column("ship_within_hours", Integer, nullable=False),
    Column("transit_days", Integer, nullable=False),
    Column("price", Amount),
    Column("currency", String(3)),
    Column("prices", JSON, nullable=False, server_default="{}"),  # {CUR: "4.90"}
)

stock_levels = Table(
    "stock_levels", metadata,
    Column("sku", String(64), ForeignKey("products.sku"), primary_key=True),
    Column("warehouse", String(32), ForeignKey("warehouses.code"), primary_key=True),
    Column("on_hand", Integer, nullable=False, server_default="0"),
    Column("reserved", Integer, nullable=False, server_default="0"),
    Column("low_since", UTCDateTime),
    # The backstop under the atomic conditional update: stock never goes negative.
    CheckConstraint("reserved >= 0", name="reserved_not_negative"),
    CheckConstraint("on_hand >= reserved", name="no_oversell"),
)

customers = Table(
    "customers", metadata,
    Column("id", BigId, primary_key=True, autoincrement=True),
    Column("email", String(254), nullable=False, unique=True),
    Column("name", String(200), nullable=False, server_default=""),
    Column("phone", String(40)),
    Column("locale", String(8)),
    Column("flags", JSON, nullable=False),
    Column("created_at", UTCDateTime),
)

telegram_links = Table(
    "telegram_links", metadata,
    Column("chat_id", BigInteger, primary_key=True, autoincrement=False),
    Column("customer_id", BigId, ForeignKey("customers.id"), nullable=False, index=True),
    Column("linked_at", UTCDateTime, nullable=False),
    Column("locale", String(8)),
    Column("unreachable", Boolean, nullable=False, server_default="0"),
)

orders = Table(
    "orders", metadata,
    Column("id", BigId, primary_key=True, autoincrement=True),
    Column("external_id", String(128), nullable=False),
    Column("channel", String(40), nullable=False),
    Column("idempotency_key", String(128)),
    Column("idempotency_scope", String(200)),  # the API token that sent the key
    Column("request_fingerprint", String(64)),  # sha256 of the canonical request
    Column("status", String(32), nullable=False),
    Column("payment_status", String(32), nullable=False),
    Column("currency", String(3), nullable=False),
    Column("customer_id", BigId, ForeignKey("customers.id"), nullable=False),
    Column("shipping_address", JSON, nullable=False),
    Column("shipping_method", String(32), nullable=False),
    Column("flags", JSON, nullable=False),
    Column("subtotal", Amount, nullable=False),
    Column("shipping_total", Amount, nullable=False),
    Column("total", Amount, nullable=False),
    Column("tax_total", Amount, nullable=False, server_default="0"),
    Column("prices_include_tax", Boolean, nullable=False, server_default="1"),
    Column("paid", Amount, nullable=False, server_default="0"),
    Column("refunded", Amount, nullable=False, server_default="0"),
    Column("placed_at", UTCDateTime, nullable=False),
    Column("promised_ship_by", UTCDateTime, nullable=False),
    Column("promised_delivery", Date, nullable=False),
    Column("cancel_reason", String(500)),
    Column("held_from", String(32)),
    Column("shipped_at", UTCDateTime),
    Column("delivered_at", UTCDateTime),
    Column("review_rating", Integer),
    Column("review_comment", Text),
    Column("reviewed_at", UTCDateTime),
    UniqueConstraint("channel", "external_id", name="uq_orders_channel_external_id"),
    UniqueConstraint("idempotency_scope", "idempotency_key",
                     name="uq_orders_idempotency_scope_key"),
    Index("ix_orders_customer_id_id", "customer_id", "id"),
    Index("ix_orders_status_id", "status", "id"),
    Index("ix_orders_status_promised_ship_by", "status", "promised_ship_by"),
    Index("ix_orders_status_delivered_at", "status", "delivered_at"),
    Index("ix_orders_placed_at", "placed_at"),
    # The backstop under Order.record_refund: refunds never exceed payments.
    CheckConstraint("refunded >= 0 AND refunded <= paid", name="refunds_within_payments"),
)

order_lines = Table(
    "order_lines", metadata,
    Column("id", BigId, primary_key=True, autoincrement=True),
    Column("order_id", BigId, ForeignKey("orders.id"), nullable=False, index=True),
    Column("sku", String(64), nullable=False, index=True),
    Column("name", String(300), nullable=False),
    Column("quantity", Integer, nullable=False),
    Column("unit_price", Amount, nullable=False),
    Column("unit_cost", Amount),
    Column("tax_rate", Amount, nullable=False, server_default="0"),  # VAT percent
    Column("cancelled", Integer, nullable=False, server_default="0"),
    Column("cancel_reason", String(500)),  # why units of the line were cancelled
    CheckConstraint("quantity > 0", name="quantity_positive"),
)

shipments = Table(
    "shipments", metadata,
    Column("id", BigId, primary_key=True, autoincrement=True),
    Column("order_id", BigId, ForeignKey("orders.id"), nullable=False, index=True),
    Column("warehouse", String(32), nullable=False),
    Column("status", String(32), nullable=False),
    Column("carrier", String(64)),
    Column("tracking_number", String(128), index=True),
    Column("eta", Date),
    Column("shipped_at", UTCDateTime),
    Column("delivered_at", UTCDateTime),
    Column("service", String(64)),
    Column("box", String(32)),
    Column("weight_g", Integer),
    Index("ix_shipments_status_eta", "status", "eta"),
)

shipment_items = Table(
    "shipment_items", metadata,
    Column("id", BigId, primary_key=True, autoincrement=True),
    Column("shipment_id", BigId, ForeignKey("shipments.id"), nullable=False, index=True),
    Column("sku", String(64), nullable=False),
    Column("quantity", Integer, nullable=False),
    CheckConstraint("quantity > 0", name="quantity_positive"),
)

returns = Table(
    "returns", metadata,
    Column("id", BigId, primary_key=True, autoincrement=True),
    Column("order_id", BigId, ForeignKey("orders.id"), nullable=False, index=True),
    Column("status", String(32), nullable=False, index=True),
    Column("reason", String(500), nullable=False),
    Column("currency", String(3), nullable=False),
    Column("exchange", Boolean, nullable=False, server_default="0"),
    Column("channel", String(32), nullable=False),
    Column("refund_amount", Amount),
    Column("replacement_order_id", BigId),
    Column("created_at", UTCDateTime, nullable=False),
    Column("updated_at", UTCDateTime),
)

return_lines = Table(
    "return_lines", metadata,
    Column("id", BigId, primary_key=True, autoincrement=True),
    Column("return_id", BigId, ForeignKey("returns.id"), nullable=False, index=True),
    Column("sku", String(64), nullable=False),
    Column("quantity", Integer, nullable=False),
    Column("unit_price", Amount, nullable=False),
    Column("warehouse", String(32)),
    Column("order_line_id", BigId),
    Column("tax_rate", Amount, nullable=False, server_default="0"),
)

# Files kept with a return (photos of damage): bytes under var/attachments/<sha256>.
return_attachments = Table(
    "return_attachments", metadata,
    Column("id", BigId, primary_key=True, autoincrement=True),
    Column("return_id", BigId, ForeignKey("returns.id"), nullable=False, index=True),
    Column("name", String(200), nullable=False),
    Column("content_type", String(100), nullable=False),
    Column("size", BigInteger, nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
)

notifications = Table(
    "notifications", metadata,
    Column("id", BigId, primary_key=True, autoincrement=True),
    Column("channel", String(16), nullable=False),
    Column("kind", String(64), nullable=False),
    Column("recipient", String(254), nullable=False),
    Column("payload", JSON, nullable=False),
    Column("locale", String(8)),
    Column("order_id", BigId, index=True),
    Column("dedupe_key", String(300), unique=True),
    Column("status", String(16), nullable=False),
    Column("attempts", Integer, nullable=False, server_default="0"),
    Column("last_error", Text),
    Column("provider_message_id", String(300)),
    Column("created_at", UTCDateTime, nullable=False),
    Column("next_attempt_at", UTCDateTime, nullable=False),
    Column("sent_at", UTCDateTime),
    Column("claimed_until", UTCDateTime),
    Index("ix_notifications_status_next_attempt_at", "status", "next_attempt_at"),
)

audit_log = Table(
    "audit_log", metadata,
    Column("id", BigId, primary_key=True, autoincrement=True),
    Column("at", UTCDateTime, nullable=False),
    Column("actor", String(200), nullable=False),
    Column("channel", String(32), nullable=False),
    Column("action", String(64), nullable=False),
    Column("subject", String(200), nullable=False, index=True),
    Column("details", JSON, nullable=False),
)

purchase_orders = Table(
    "purchase_orders", metadata,
    Column("id", BigId, primary_key=True, autoincrement=True),
    Column("sku", String(64), ForeignKey("products.sku"), nullable=False, index=True),
    Column("warehouse", String(32), nullable=False),
    Column("quantity", Integer, nullable=False),
    Column("supplier_email", String(254)),
    Column("status", String(16), nullable=False, index=True),
    Column("created_at", UTCDateTime, nullable=False),
    Column("approved_at", UTCDateTime),
    Column("approved_by", String(200)),
    Column("received_at", UTCDateTime),
)

# The 30-day sales rate of a low SKU, and the daily report's shipped count.
Index("ix_shipment_items_sku", shipment_items.c.sku)
Index("ix_shipments_shipped_at", shipments.c.shipped_at)

# Tables of other contexts live in their own modules, on this metadata (re-exported here).
from storage import fulfilment_tables as fulfilment_tables  # noqa: E402
from storage import orm_stock as orm_stock  # noqa: E402
from storage.orm_money import fx_rates as fx_rates  # noqa: E402
from storage.orm_system import api_tokens as api_tokens  # noqa: E402
from storage.orm_system import conversations as conversations  # noqa: E402
from storage.orm_system import job_runs as job_runs  # noqa: E402
from storage.orm_system import link_codes as link_codes  # noqa: E402
from storage.orm_system import order_marks as order_marks  # noqa: E402
from storage.orm_system import processed_updates as processed_updates  # noqa: E402
from storage.orm_system import staff as staff  # noqa: E402
