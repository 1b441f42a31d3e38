"""Who may use the HTTP API: named bearer tokens, stored only as hashes."""

from __future__ import annotations

import hashlib
import secrets
from typing import Protocol

TOKEN_PREFIX = "oms_"  # noqa: S105 (a visible prefix, not a secret)


def new_api_token() -> str:
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


def hash_token(token: str) -> str:
    # Tokens are 256 random bits, so a plain SHA-256 is enough (no password stretching).
    return hashlib.sha256(token.encode()).hexdigest()


class ApiTokenStore(Protocol):
    async def create(self, name: str) -> str:
        """Store a new token for `name`; returns the token, shown once."""
        ...

    async def verify(self, token: str) -> str | None:
        """The token's name, or None for an unknown or revoked token."""
        ...
