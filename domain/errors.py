"""Errors a person can cause. Each carries a message written for that person."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


class DomainError(Exception):
    """Base of every error caused by input or state, never by a bug."""

    code = "domain_error"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class ValidationError(DomainError):
    code = "validation_error"

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.reason = message


class InvalidInput(DomainError):
    """Several bad fields at once, each named by its path."""

    code = "validation_error"

    def __init__(self, problems: Sequence[tuple[str, str]]) -> None:
        super().__init__("; ".join(f"{path}: {msg}" for path, msg in problems))
        self.problems = list(problems)


class NotFound(DomainError):
    code = "not_found"

    def __init__(self, kind: str, key: object) -> None:
        super().__init__(f"{kind} {key} not found")
        self.kind = kind
        self.key = key


@dataclass(frozen=True)
class Shortage:
    sku: str
    requested: int
    available: int


class InsufficientStock(DomainError):
    code = "insufficient_stock"

    def __init__(self, shortages: Sequence[Shortage]) -> None:
        names = ", ".join(f"{s.sku} ({s.requested} wanted, {s.available} available)"
                          for s in shortages)
        super().__init__(f"not enough stock: {names}")
        self.shortages = list(shortages)


class InvalidTransition(DomainError):
    code = "invalid_transition"

    def __init__(self, subject: str, status: str, action: str, allowed: Sequence[str]) -> None:
        allowed_text = ", ".join(allowed) if allowed else "nothing"
        super().__init__(
            f"{subject} is {status}: cannot {action} (allowed: {allowed_text})"
        )
        self.status = status
        self.action = action
        self.allowed = list(allowed)


class NotAuthorised(DomainError):
    code = "not_authorised"

    def __init__(self, message: str = "not authorised") -> None:
        super().__init__(message)


class Conflict(DomainError):
    code = "conflict"


class Retry(Exception):
    """A concurrent change won (stock taken, duplicate insert); the bus runs the command again."""
