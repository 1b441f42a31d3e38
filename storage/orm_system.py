"""Tables of the running system beside the shop's records: API tokens, staff roles,
Telegram link codes, processed updates (dedupe), job runs, per-order job marks and
plain-words conversations. Same metadata as `storage.orm`, which re-exports them."""

from __future__ import annotations

from sqlalchemy import JSON, BigInteger, Column, ForeignKey, Index, Integer, String, Table

from storage.orm_base import BigId, metadata
from storage.types import UTCDateTime

api_tokens = Table(
    "api_tokens", metadata,
    Column("id", BigId, primary_key=True, autoincrement=True),
    Column("name", String(100), nullable=False),
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("created_at", UTCDateTime, nullable=False),
    Column("revoked_at", UTCDateTime),
)


staff = Table(
    "staff", metadata,
    Column("slack_user_id", String(32), primary_key=True),
    Column("role", String(16), nullable=False),
    Column("added_at", UTCDateTime, nullable=False),
    Column("added_by", String(200), nullable=False),
)


link_codes = Table(
    "link_codes", metadata,
    Column("id", BigId, primary_key=True, autoincrement=True),
    Column("code_hash", String(64), nullable=False),
    Column("purpose", String(16), nullable=False),  # deeplink | email
    # NULL: a decoy code for an unknown e-mail (answers like a real one, never links)
    Column("customer_id", BigId, ForeignKey("customers.id")),
    Column("chat_id", BigInteger),
    Column("created_at", UTCDateTime, nullable=False),
    Column("expires_at", UTCDateTime, nullable=False),
    Column("attempts", Integer, nullable=False, server_default="0"),
    Column("used_at", UTCDateTime),
    Index("ix_link_codes_code_hash", "code_hash"),
    Index("ix_link_codes_chat_id", "chat_id"),
)


processed_updates = Table(
    "processed_updates", metadata,
    Column("source", String(16), primary_key=True),
    Column("update_id", String(300), primary_key=True),
    Column("at", UTCDateTime, nullable=False),
)


job_runs = Table(
    "job_runs", metadata,
    Column("name", String(64), primary_key=True),
    Column("run_key", String(64), primary_key=True),
    Column("started_at", UTCDateTime, nullable=False),
    Column("finished_at", UTCDateTime),
)


# Scheduled jobs: "once per order and kind" (delay stages, review requests).
order_marks = Table(
    "order_marks", metadata,
    Column("order_id", BigId, ForeignKey("orders.id"), primary_key=True),
    Column("mark", String(32), primary_key=True),
    Column("at", UTCDateTime, nullable=False),
    Index("ix_order_marks_mark_at", "mark", "at"),
)


# What a plain-words conversation refers to ("cancel it"), per chat, for a few minutes.
conversations = Table(
    "conversations", metadata,
    Column("channel", String(16), primary_key=True),
    Column("chat", String(200), primary_key=True),
    Column("data", JSON, nullable=False),
    Column("expires_at", UTCDateTime, nullable=False, index=True),
)
