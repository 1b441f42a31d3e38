"""Column types that keep money exact and time aware on both SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import BigInteger, DateTime
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator

from domain.money import plain

SCALE = 10_000  # four decimals cover every ISO 4217 minor unit


class Amount(TypeDecorator[Decimal]):
    """Decimal stored as a scaled integer: exact on SQLite, summable in SQL on both."""

    impl = BigInteger
    cache_ok = True

    def process_bind_param(self, value: Decimal | None, dialect: Dialect) -> int | None:
        if value is None:
            return None
        return int((Decimal(value) * SCALE).to_integral_exact())

    def process_result_value(self, value: Any, dialect: Dialect) -> Decimal | None:
        if value is None:
            return None
        return plain(Decimal(int(value)) / SCALE) if value else Decimal(0)


class Rate(TypeDecorator[Decimal]):
    """An exchange rate stored as an integer of 10^-10 units: exact on both databases
    (domain.accounting.fx bounds rates to 10 decimals and below 10^8, so it fits 64 bits)."""

    impl = BigInteger
    cache_ok = True
    scale = 10**10

    def process_bind_param(self, value: Decimal | None, dialect: Dialect) -> int | None:
        if value is None:
            return None
        return int((Decimal(value) * self.scale).to_integral_exact())

    def process_result_value(self, value: Any, dialect: Dialect) -> Decimal | None:
        if value is None:
            return None
        return plain(Decimal(int(value)) / self.scale)


class UTCDateTime(TypeDecorator[datetime]):
    """Aware UTC in, aware UTC out (SQLite keeps no zone of its own)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to the database")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def amount_from_db(raw: int | None) -> Decimal | None:
    """For Core queries that read the scaled integer directly (sums in reports)."""
    if raw is None:
        return None
    return Decimal(int(raw)) / SCALE
