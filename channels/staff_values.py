"""The values staff requests carry, parsed from what a person typed: order, RMA and
purchase-order numbers, SKUs, quantities, amounts, dates, currencies, e-mails, Slack users.

Standard library and the domain only. Each parser raises `ValueError` whose argument is a
`Text` written for a person (said in the staff's language; `str()` is the English);
`channels.staff_requests` re-exports them for the grammar.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal, InvalidOperation

from domain.accounting.fx import parse_rate
from domain.errors import ValidationError
from domain.money import CURRENCIES
from domain.texts import N_, Number, Text

MAX_NUMBER = 2**31 - 1  # order, RMA and purchase-order numbers fit a 32-bit column
MAX_QUANTITY = 1_000_000


# --- values ---------------------------------------------------------------------------------

_ORDER_NUMBER = re.compile(r"(?:ORD-?|#)?([0-9]+)", re.IGNORECASE)
_RMA_NUMBER = re.compile(r"(?:RMA-?|#)?([0-9]+)", re.IGNORECASE)
_PO_NUMBER = re.compile(r"(?:PO-?|#)?([0-9]+)", re.IGNORECASE)
_WHOLE_NUMBER = re.compile(r"([+-]?)([0-9]+)")
_CODE = re.compile(r"[A-Za-z0-9._-]{1,64}")
_EMAIL = re.compile(
    r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
    r"@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z][A-Za-z0-9-]{0,61}[A-Za-z0-9]"
)
_SLACK_USER = re.compile(r"<@([UW][A-Z0-9]{2,31})(?:\|[^>]*)?>|@?([UW][A-Z0-9]{2,31})")
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def shown(text: str) -> str:
    """`text` quoted for a message: back-ticked, and cut short when long."""
    visible = text if len(text) <= 40 else text[:39] + "…"
    return "`" + visible.replace("`", "'") + "`"


def _prefixed_number(text: str, pattern: re.Pattern[str]) -> int | None:
    match = pattern.fullmatch(text.strip())
    if match is None:
        return None
    digits = match.group(1).lstrip("0")
    if not digits or len(digits) > len(str(MAX_NUMBER)) or int(digits) > MAX_NUMBER:
        return None
    return int(digits)


def parse_order_number(text: str) -> int:
    """`ORD-000123`, `ord-123`, `#123` or `123` → 123."""
    number = _prefixed_number(text, _ORDER_NUMBER)
    if number is None:
        raise ValueError(Text.of(
            N_("%(value)s is not an order number; write ORD-000123 or 123."), value=shown(text)))
    return number


def parse_rma(text: str) -> int:
    """`RMA-000045`, `rma-45`, `#45` or `45` → 45."""
    number = _prefixed_number(text, _RMA_NUMBER)
    if number is None:
        raise ValueError(Text.of(
            N_("%(value)s is not a return number; write RMA-000045 or 45."), value=shown(text)))
    return number


def parse_purchase_order_id(text: str) -> int:
    """`PO-000012`, `#12` or `12` → 12."""
    number = _prefixed_number(text, _PO_NUMBER)
    if number is None:
        raise ValueError(Text.of(N_("%(value)s is not a purchase order number; write 12."),
                                 value=shown(text)))
    return number


def parse_positive(text: str, maximum: int, what: str = N_("quantity")) -> int:
    """A whole number from 1 to `maximum`; `what` names it in the message."""
    match = _WHOLE_NUMBER.fullmatch(text.strip())
    if match is None:
        raise ValueError(Text.of(N_("%(value)s is not a %(what)s; write a whole number like 3."),
                                 value=shown(text), what=Text(what)))
    sign, digits = match.group(1), match.group(2).lstrip("0")
    if sign == "-" or not digits:
        raise ValueError(Text.of(N_("%(value)s is not a positive %(what)s."),
                                 value=shown(text), what=Text(what)))
    if len(digits) > len(str(maximum)) or int(digits) > maximum:
        raise ValueError(Text.of(N_("%(value)s is more than the maximum %(what)s of %(maximum)s."),
                                 value=shown(text), what=Text(what), maximum=Number(maximum)))
    return int(digits)


def parse_quantity(text: str) -> int:
    return parse_positive(text, MAX_QUANTITY)


def parse_adjustment(text: str) -> tuple[str, int]:
    """`+3` → ("+", 3), `-2` → ("-", 2), `=10` → ("=", 10): a stock correction (`=0`
    empties the shelf; +0 and -0 change nothing and are refused)."""
    mode, digits = text[:1], text[1:]
    if mode not in ("+", "-", "=") or not digits.isdigit() or not digits.isascii():
        raise ValueError(Text.of(N_("%(value)s is not a change of stock; write +N to add, -N to "
                                    "take away or =N to set the count, like -2."),
                                 value=shown(text)))
    if mode == "=" and digits.strip("0") == "":
        return mode, 0
    return mode, parse_positive(digits, MAX_QUANTITY)


def parse_sku(text: str) -> str:
    """Letters, digits, `-`, `_`, `.` (1 to 64), kept as typed: the domain matches a SKU
    without regard to case and keeps the catalogue's own spelling (CONTRACT §4)."""
    if _CODE.fullmatch(text) is None:
        raise ValueError(Text.of(
            N_("%(value)s is not a SKU; use letters, digits, - _ and . only."), value=shown(text)))
    return text


def parse_item(text: str) -> tuple[str, int]:
    """`MUG-01:2` → ("MUG-01", 2)."""
    sku, colon, quantity = text.partition(":")
    if not colon:
        raise ValueError(Text.of(
            N_("%(value)s is not an item; write SKU:QTY, like MUG-01:2."), value=shown(text)))
    return parse_sku(sku), parse_quantity(quantity)


def parse_warehouse(text: str) -> str:
    """A warehouse code, kept as written (the same characters as a SKU)."""
    if _CODE.fullmatch(text) is None:
        raise ValueError(Text.of(N_("%(value)s is not a warehouse code."), value=shown(text)))
    return text


def parse_email(text: str) -> str:
    """A pragmatic check of an e-mail address; normalised to lower case."""
    local, _, _domain = text.partition("@")
    if len(text) > 254 or len(local) > 64 or _EMAIL.fullmatch(text) is None:
        raise ValueError(Text.of(N_("%(value)s is not an e-mail address."), value=shown(text)))
    return text.lower()


def parse_slack_user(text: str) -> str:
    """`<@U123ABC>`, `<@U123ABC|name>`, `@U123ABC` or `U123ABC` → `U123ABC`."""
    match = _SLACK_USER.fullmatch(text.strip())
    if match is None:
        raise ValueError(Text.of(N_("%(value)s is not a Slack user; mention them with @ or give "
                                    "their id, like U0123ABCD."), value=shown(text)))
    return match.group(1) or match.group(2)


_HANDLE = re.compile(r"@(?P<name>[^\s<>@`*_~][^<>@`]{0,79})")


def parse_person(text: str) -> tuple[str, str]:
    """A Slack user as (user_id, "") from a mention or an id, or ("", name) from `@name`
    (an unescaped mention: a handle, display name or real name, spaces allowed)."""
    text = " ".join(text.split())
    if _SLACK_USER.fullmatch(text) is not None:
        return parse_slack_user(text), ""
    match = _HANDLE.fullmatch(text)
    if match is None:
        raise ValueError(Text.of(N_("%(value)s is not a Slack user; mention them with @ or give "
                                    "their id, like U0123ABCD."), value=shown(text)))
    return "", match.group("name")


def parse_free_text(text: str, what: str, longest: int) -> str:
    """Printable text of 1 to `longest` characters (a carrier, a tracking number)."""
    text = text.strip()
    if not text or len(text) > longest or not text.isprintable():
        raise ValueError(Text.of(N_("%(value)s is not a %(what)s."), value=shown(text),
                                 what=Text(what)))
    return text


_AMOUNT = re.compile(r"[0-9]{1,12}(?:[.,][0-9]{1,4})?")


def parse_amount(text: str) -> Decimal:
    """`18.90`, `18,90` or `18` → a positive decimal amount (its currency's digits are
    checked against the order it is for)."""
    if _AMOUNT.fullmatch(text.strip()) is None:
        raise ValueError(Text.of(N_("%(value)s is not an amount; write it like 18.90."),
                                 value=shown(text)))
    try:
        amount = Decimal(text.strip().replace(",", "."))
    except InvalidOperation:
        raise ValueError(Text.of(N_("%(value)s is not an amount; write it like 18.90."),
                                 value=shown(text))) from None
    if amount <= 0:
        raise ValueError(Text.of(N_("%(value)s is not a positive amount."), value=shown(text)))
    return amount


def parse_date(text: str) -> date:
    """`YYYY-MM-DD` and nothing else."""
    if _ISO_DATE.fullmatch(text) is not None:
        try:
            return date.fromisoformat(text)
        except ValueError:
            pass
    raise ValueError(Text.of(N_("%(value)s is not a date; write YYYY-MM-DD."), value=shown(text)))


def parse_currency(text: str) -> str:
    """An ISO 4217 code in any case (`usd`) → `USD`."""
    code = text.strip().upper()
    if code not in CURRENCIES:
        raise ValueError(Text.of(
            N_("%(value)s is not a currency; write an ISO 4217 code like USD."),
            value=shown(text)))
    return code


def parse_fx_rate(text: str) -> Decimal:
    """A positive decimal (`1.0842`; a decimal comma is read too) with at most 10 decimals."""
    try:
        return parse_rate(text.strip().replace(",", "."))
    except ValidationError as problem:
        raise ValueError(Text.of(N_("%(value)s is not a rate: it %(reason)s."),
                                 value=shown(text), reason=problem.reason_text)) from None
