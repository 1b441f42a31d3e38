"""Signed reply tokens: ``reply+<order id>-<mac>@<reply domain>`` names the order of a reply.

The token is ``<decimal order id>-<16 base32 chars>``: an HMAC-SHA256 over the order id,
truncated to 80 bits. Only ``[0-9a-z-]`` appear, so a mail system that lowercases (or
uppercases) the local part does not break it.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
from email.utils import parseaddr

_MAC_BYTES = 10  # 80 bits: exactly 16 base32 characters, no padding
# Domain separation: the same secret also signs Telegram link codes.
_PURPOSE = b"omsbot/email-reply/v1:"
_TOKEN = re.compile(r"([1-9][0-9]{0,17})-([a-z2-7]{16})")
_PREFIX = "reply+"


def _mac(secret: bytes, order_id: int) -> str:
    digest = hmac.new(secret, _PURPOSE + str(order_id).encode("ascii"), hashlib.sha256).digest()
    return base64.b32encode(digest[:_MAC_BYTES]).decode("ascii").lower()


def make_token(secret: bytes, order_id: int) -> str:
    if not secret:
        raise ValueError("the reply-token secret is empty")
    if isinstance(order_id, bool) or not 0 < order_id < 10**18:
        raise ValueError(f"not an order id: {order_id!r}")
    return f"{order_id}-{_mac(secret, order_id)}"


def read_token(secret: bytes, token: str) -> int | None:
    """The order id of a genuine token; None for anything forged, truncated or malformed."""
    if not secret or not isinstance(token, str):
        return None
    match = _TOKEN.fullmatch(token.strip().lower())
    if match is None:
        return None
    order_id = int(match.group(1))
    if not hmac.compare_digest(match.group(2), _mac(secret, order_id)):
        return None
    return order_id


def reply_address(token: str, domain: str) -> str:
    return f"{_PREFIX}{token}@{domain}"


def token_from_address(address: str, *, domain: str | None = None) -> str | None:
    """The token in ``reply+<token>@domain`` (display names allowed), lowercased; else None.

    With ``domain`` given, an address at another domain yields None.
    """
    _, addr = parseaddr(address or "")
    local, at, host = addr.rpartition("@")
    if not at or not local.lower().startswith(_PREFIX):
        return None
    if domain is not None and host.lower() != domain.lower():
        return None
    token = local[len(_PREFIX) :].strip().lower()
    return token or None
