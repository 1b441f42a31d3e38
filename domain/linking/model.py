"""Link codes: random, stored only as keyed hashes, expiring, single use, few attempts."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

DEEPLINK_TTL = timedelta(days=7)  # lives in e-mails, which are read days later
EMAIL_CODE_TTL = timedelta(minutes=15)
MAX_ATTEMPTS = 5
CODES_PER_CHAT_PER_HOUR = 5
DEEPLINK_ALPHABET = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-")


@dataclass(eq=False)
class LinkCode:
    code_hash: str
    purpose: str
    customer_id: int | None  # None: a decoy for an unknown e-mail, so it answers alike
    created_at: datetime
    expires_at: datetime
    chat_id: int | None = None
    attempts: int = 0
    used_at: datetime | None = None
    id: int | None = None

    @property
    def attempts_left(self) -> int:
        return max(0, MAX_ATTEMPTS - self.attempts)

    def is_open(self) -> bool:
        return self.used_at is None

    def is_expired(self, now: datetime) -> bool:
        return now >= self.expires_at

    def record_wrong_attempt(self, now: datetime) -> None:
        self.attempts += 1
        if self.attempts >= MAX_ATTEMPTS:
            self.used_at = now  # burnt

    def use(self, chat_id: int, now: datetime) -> None:
        self.chat_id = chat_id
        self.used_at = now


class CodeBook:
    """Makes codes and their keyed hashes (HMAC-SHA256 with the shop's secret key), so a
    copy of the database alone does not reveal or let anyone brute-force a code."""

    def __init__(self, secret: bytes) -> None:
        self._secret = secret

    def digest(self, purpose: str, code: str, chat_id: int | None = None) -> str:
        message = f"{purpose}:{chat_id if chat_id is not None else ''}:{code}".encode()
        return hmac.new(self._secret, message, hashlib.sha256).hexdigest()

    @staticmethod
    def new_deeplink_code() -> str:
        return secrets.token_urlsafe(24)  # 32 characters of A-Za-z0-9_-: a /start payload

    @staticmethod
    def new_email_code() -> str:
        return f"{secrets.randbelow(1_000_000):06d}"


def looks_like_deeplink_code(text: str) -> bool:
    return 0 < len(text) <= 64 and set(text) <= DEEPLINK_ALPHABET


def looks_like_email_code(text: str) -> bool:
    return len(text) == 6 and text.isascii() and text.isdigit()
