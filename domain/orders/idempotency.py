"""Retries are recognised, replays with another body are refused (CONTRACT §4).

A request's fingerprint is the SHA-256 of its canonical form: the placed command's fields
as sorted JSON, amounts as decimal strings, times in UTC, without the idempotency key
itself. Two requests that mean the same order have the same fingerprint, whatever the
key order, spacing or spelling of amounts of the JSON that carried them.
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from domain.errors import DomainError
from domain.input_policy import field_names
from domain.orders import model as m
from domain.orders.commands import PlaceOrder, PlaceOrderResult
from domain.ports import UnitOfWork

_NOT_HASHED = ("idempotency_key", "idempotency_scope")


class IdempotencyMismatch(DomainError):
    """The same Idempotency-Key came with a different body."""

    code = "idempotency_mismatch"

    def __init__(self, order_number: str) -> None:
        super().__init__(f"this Idempotency-Key already placed {order_number} with a "
                         f"different request; use a new key for a new order")
        self.order_number = order_number


class DuplicateExternalId(DomainError):
    """The same channel + external_id came with a different body."""

    code = "duplicate_external_id"

    def __init__(self, order_number: str) -> None:
        super().__init__(f"this channel and external_id already placed {order_number} with "
                         f"different content")
        self.order_number = order_number


def request_fingerprint(cmd: PlaceOrder) -> str:
    """64 hex characters identifying what the request asks for. Stored with each order:
    the canonical form must never change (it is `dataclasses.asdict`'s, built without its
    deep copies of every value; tests/unit/test_fingerprint.py holds the two equal)."""
    canonical = json.dumps({k: v for k, v in _plain_data(cmd).items() if k not in _NOT_HASHED},
                           sort_keys=True, separators=(",", ":"), default=_plain)
    return hashlib.sha256(canonical.encode()).hexdigest()


def _plain_data(value: Any) -> Any:
    """Dataclasses as dicts of their fields, recursively into lists, tuples and dicts."""
    cls: type = type(value)
    if hasattr(cls, "__dataclass_fields__"):
        return {name: _plain_data(getattr(value, name)) for name in field_names(cls)}
    if isinstance(value, list | tuple):
        return [_plain_data(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain_data(v) for k, v in value.items()}
    return value


def _plain(value: object) -> str:
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat()
    if isinstance(value, (date, Decimal)):
        return str(value)
    raise TypeError(f"cannot fingerprint {type(value).__name__}")


async def existing_order(cmd: PlaceOrder, fingerprint: str, uow: UnitOfWork
                         ) -> PlaceOrderResult | None:
    """The order a retry of `cmd` already placed; None when `cmd` is new.

    Raises IdempotencyMismatch (same key, other body) or DuplicateExternalId (same
    channel and external_id, other body): never silently the other order.
    """
    if cmd.idempotency_key:
        order = await uow.orders.by_idempotency_key(cmd.idempotency_scope, cmd.idempotency_key)
        if order is not None:
            if not _same(order, fingerprint):
                raise IdempotencyMismatch(order.number)
            return _result(order)
    order = await uow.orders.by_external_id(cmd.channel, cmd.external_id)
    if order is None:
        return None
    if not _same(order, fingerprint):
        raise DuplicateExternalId(order.number)
    return _result(order)


def _same(order: m.Order, fingerprint: str) -> bool:
    # Orders placed before fingerprints were kept cannot be compared: a retry is assumed.
    return order.request_fingerprint in (None, fingerprint)


def _result(order: m.Order) -> PlaceOrderResult:
    assert order.id is not None
    return PlaceOrderResult(order.id, order.number, created=False)
