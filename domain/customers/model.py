"""Customers are identified by e-mail; a chat may be bound to one."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime

from domain.errors import ValidationError
from domain.texts import N_, Text

# A customer's or chat's language is an ISO 639 code ("en", "it", "de"); which languages the
# texts ship in is the channels' business (a message catalogue per language), not the domain's.
_LANGUAGE = re.compile(r"[a-z]{2,3}")
CUSTOMER_FLAGS = ("vip", "blocked", "wholesale")
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
_EMAIL = re.compile(r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@" + _LABEL + r"(?:\." + _LABEL + r")+$")


def is_language(code: str | None) -> bool:
    """True for an ISO 639 language code in lower case ("de"); "de-AT" or "" are not."""
    return bool(code) and _LANGUAGE.fullmatch(code or "") is not None


def normalise_email(value: str, field_name: str = "email") -> str:
    email = value.strip()
    if len(email) > 254 or not _EMAIL.match(email):
        raise ValidationError(field_name, Text.of(N_("%(value)s is not a valid e-mail address"),
                                                  value=repr(value)))
    local, _, domain = email.rpartition("@")
    return f"{local}@{domain.lower()}".lower()


@dataclass(eq=False)
class Customer:
    email: str
    name: str = ""
    phone: str | None = None
    locale: str | None = None
    flags: list[str] = field(default_factory=list)
    created_at: datetime | None = None
    id: int | None = None


@dataclass(eq=False)
class TelegramLink:
    chat_id: int
    customer_id: int
    linked_at: datetime
    locale: str | None = None
    unreachable: bool = False
