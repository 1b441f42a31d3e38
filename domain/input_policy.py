"""One input policy for every channel (CONTRACT §4): HTTP, import, Slack, console, Telegram
and e-mail all reach the domain as commands through the message bus, and the bus checks
each command here before its handler runs.

- text: no NUL or other C0 control character except tab and newline;
- amounts: at most 999,999,999.99 in absolute value;
- quantities (fields named `quantity`): whole numbers up to 1,000,000 (never a bool);
- sales channels: shop-named, `[A-Za-z0-9_-]{1,40}`.

A refused command raises ValidationError naming the field by its path (`customer.name`,
`lines.0.quantity`), and nothing has been written yet.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import fields, is_dataclass
from decimal import Decimal

from domain.errors import ValidationError
from domain.texts import N_, Text

MAX_AMOUNT = Decimal("999999999.99")
MAX_QUANTITY = 1_000_000
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f]")
CHANNEL_PATTERN = re.compile(r"[A-Za-z0-9_-]{1,40}")
_QUANTITY_FIELDS = frozenset({"quantity"})


def check_text(value: str, field: str) -> str:
    """`value` unchanged; ValidationError when it holds a control character."""
    bad = _CONTROL.search(value)
    if bad is not None:
        raise ValidationError(field, Text.of(N_("contains the control character U+%(code)s"),
                                             code=f"{ord(bad.group()):04X}"))
    return value


def clean_text(value: str) -> str:
    """`value` without control characters (CR LF and lone CR become LF): for text that no
    one can be asked to send again, such as the body of an e-mail."""
    return _CONTROL.sub("", value.replace("\r\n", "\n").replace("\r", "\n"))


def check_amount(value: Decimal, field: str) -> Decimal:
    """`value` unchanged; ValidationError beyond ±999,999,999.99 or when not finite."""
    if not value.is_finite() or abs(value) > MAX_AMOUNT:
        raise ValidationError(field, Text(N_("must be at most 999,999,999.99")))
    return value


def check_quantity(value: object, field: str) -> int:
    """A whole number from 0 to 1,000,000 (a bool or a float is not one)."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValidationError(field, Text(N_("must be a whole number")))
    if not 0 <= value <= MAX_QUANTITY:
        raise ValidationError(field, Text.of(N_("must be a whole number up to %(max)s"),
                                             max=f"{MAX_QUANTITY:,}"))
    return value


def check_command(command: object) -> None:
    """Check every text, amount and quantity in a command (nested dataclasses, tuples,
    mappings); raises ValidationError naming the first bad field by its path."""
    _check(command, "")


def _check(value: object, path: str) -> None:
    if isinstance(value, str):
        check_text(value, path or "text")
    elif isinstance(value, Decimal):
        check_amount(value, path or "amount")
    elif is_dataclass(value) and not isinstance(value, type):
        for f in fields(value):
            inner = getattr(value, f.name)
            name = f"{path}.{f.name}" if path else f.name
            if f.name in _QUANTITY_FIELDS and inner is not None:
                check_quantity(inner, name)
            _check(inner, name)
    elif isinstance(value, Mapping):
        for key, inner in value.items():
            name = f"{path}.{key}" if path else str(key)
            _check(key, name)
            _check(inner, name)
    elif isinstance(value, (list, tuple, set, frozenset)):
        for index, inner in enumerate(value):
            _check(inner, f"{path}.{index}" if path else str(index))
