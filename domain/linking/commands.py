"""Commands of the linking context: bind a chat to a customer, safely, and keep its state."""

from __future__ import annotations

from dataclasses import dataclass

DEEPLINK = "deeplink"
EMAIL = "email"

LINKED = "linked"
INVALID = "invalid"
EXPIRED = "expired"


@dataclass(frozen=True)
class IssueDeepLink:
    """A single-use `/start` payload for the customer with this e-mail; None when there is
    no such customer or one of their chats is already linked."""

    customer_email: str


@dataclass(frozen=True)
class RequestEmailCode:
    """Mail a 6-digit code to `email` if it belongs to a customer; same answer either way."""

    chat_id: int
    email: str


@dataclass(frozen=True)
class RedeemCode:
    chat_id: int
    code: str
    purpose: str  # deeplink | email
    language: str | None = None  # the chat's own language, kept when the profile has none


@dataclass(frozen=True)
class SetChatLocale:
    chat_id: int
    locale: str


@dataclass(frozen=True)
class MarkChatUnreachable:
    """The customer blocked the bot: stop messaging the chat until it writes again."""

    chat_id: int


@dataclass(frozen=True)
class MarkChatReachable:
    chat_id: int


@dataclass(frozen=True)
class ClaimUpdates:
    """Record incoming update ids; returns those not seen before (the rest are re-deliveries).
    Several at once, so a burst of updates costs one transaction."""

    source: str
    update_ids: tuple[str, ...]


@dataclass(frozen=True)
class EmailCodeRequested:
    expires_minutes: int


@dataclass(frozen=True)
class Redeemed:
    """What became of a code: linked, invalid (attempts_left) or expired."""

    outcome: str
    attempts_left: int = 0
    customer_name: str = ""
    customer_email: str = ""
    locale: str | None = None
