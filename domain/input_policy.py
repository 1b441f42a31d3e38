"""One input policy for every channel (CONTRACT §4): HTTP, import, Slack, console, Telegram
and e-mail all reach the domain as commands through the message bus, and the bus checks
each command here before its handler runs. The HTTP API also runs the text rule over raw
bodies, paths and query strings (so a 422 names every bad field, and nothing odd reaches a
query), but the rule itself lives only here.

- text: no C0 control character except tab and newline, no DEL, no C1 control
  (U+0080–U+009F) and no bidirectional override or isolate (U+202A–U+202E,
  U+2066–U+2069). Source: RFC 9839 "Unicode Character Repertoire Subsets" (its "Unicode
  Assignables" subset excludes the C0 controls but tab/LF/CR, DEL and the C1 controls) and
  Unicode TR#36 §2.2 / UTS#39 on bidi spoofing (the explicit embeddings, overrides and
  isolates reverse what a terminal or a mail shows, the "Trojan Source" kind). CR is
  refused too: text a person types or a program sends ends its lines with LF;
- decimals written as text: ASCII digits with at most one `.` and a sign (`12.50`); Python's
  `Decimal` would also read `1_000`, `١٢` (Arabic-Indic digits), `1E+1`, `Infinity`;
- amounts: at most 999,999,999.99 in absolute value;
- quantities (fields named `quantity`): whole numbers up to 1,000,000 (never a bool);
- SKUs keep the case they were created with and match without it (`own_sku`);
- sales channels: the shop's own names, `[A-Za-z0-9_-]{1,40}`, matched without case and kept
  in lower case (`WEB` and `web` are one channel, as a SKU is one product in any case);
- ETAs (fields named `eta`): not before today in the shop's time zone;
- times something happened (`at`, `placed_at`, `shipped_at`, `delivered_at`): not later
  than now plus MAX_CLOCK_SKEW (a sender's clock may run a little ahead).

A refused command raises ValidationError naming the field by its path (`customer.name`,
`lines.0.quantity`), or InvalidInput naming every bad field when there are several; nothing
has been written yet.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import fields, is_dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from functools import cache
from typing import NoReturn

from domain.errors import ETA_IN_THE_PAST, InvalidInput, Message, ValidationError
from domain.texts import N_, Text

MAX_AMOUNT = Decimal("999999999.99")
MAX_QUANTITY = 1_000_000
MAX_CLOCK_SKEW = timedelta(minutes=5)
_REFUSED = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_DECIMAL = re.compile(r"[+-]?[0-9]+(?:\.[0-9]+)?")
CHANNEL_PATTERN = re.compile(r"[A-Za-z0-9_-]{1,40}")
_QUANTITY_FIELDS = frozenset({"quantity"})
_ETA_FIELDS = frozenset({"eta"})
_EVENT_TIME_FIELDS = frozenset({"at", "placed_at", "shipped_at", "delivered_at"})
IN_THE_FUTURE = Text(N_("is in the future (more than 5 minutes after now)"))  # MAX_CLOCK_SKEW

Problem = tuple[str, Message]


def text_problem(value: str) -> Text | None:
    """Why `value` is refused as text, or None when it is fine."""
    bad = _REFUSED.search(value)
    if bad is None:
        return None
    return Text.of(N_("contains the control character U+%(code)s"),
                   code=f"{ord(bad.group()):04X}")


def check_text(value: str, field: str) -> str:
    """`value` unchanged; ValidationError when it holds a refused character."""
    problem = text_problem(value)
    if problem is not None:
        raise ValidationError(field, problem)
    return value


def clean_text(value: str) -> str:
    """`value` without refused characters (CR LF and lone CR become LF): for text that no
    one can be asked to send again, such as the body of an e-mail."""
    return _REFUSED.sub("", value.replace("\r\n", "\n").replace("\r", "\n"))


def parse_decimal(value: object, field: str) -> Decimal:
    """A decimal from a string, int or Decimal written plainly: ASCII digits, at most one
    `.`, an optional sign. ValidationError otherwise (a float is not exact: refused)."""
    if isinstance(value, bool) or not isinstance(value, (str, int, Decimal)):
        raise ValidationError(field, Text(N_('must be a decimal string such as "12.50"')))
    if isinstance(value, Decimal):
        value = format(value, "f") if value.is_finite() else str(value)
    text = str(value)
    if _DECIMAL.fullmatch(text) is None:
        raise ValidationError(field, Text.of(N_("%(value)s is not a decimal amount"),
                                             value=repr(text)))
    try:
        return Decimal(text)
    except InvalidOperation:  # pragma: no cover - the pattern admits only decimals
        raise ValidationError(field, Text.of(N_("%(value)s is not a decimal amount"),
                                             value=repr(text))) from None


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


def sales_channel(name: str) -> str:
    """The one spelling of a sales channel name: matched without case, kept in lower case."""
    return name.lower()


def sku_key(sku: str) -> str:
    """The one SKU rule: a SKU keeps the case it was created with and is matched without
    regard to case, by this key. Storage matches the same way (`lower(sku)`, a unique
    index); SKUs are ASCII, so `lower` and SQL's `lower` agree."""
    return sku.lower()


def own_sku(known: Iterable[str], sku: str) -> str:
    """`sku` as spelled among `known` (the catalogue's or an order's SKUs), else itself."""
    key = sku_key(sku)
    return next((own for own in known if sku_key(own) == key), sku)


def check_eta(eta: date, today: date, field: str = "eta") -> date:
    """`eta` unchanged; ValidationError when it is before `today` (the shop's day)."""
    if eta < today:
        raise ValidationError(field, ETA_IN_THE_PAST)
    return eta


def check_event_time(at: datetime, now: datetime, field: str = "at") -> datetime:
    """`at` unchanged; ValidationError when it is later than `now` + MAX_CLOCK_SKEW."""
    if at.tzinfo is not None and at > now + MAX_CLOCK_SKEW:
        raise ValidationError(field, IN_THE_FUTURE)
    return at


def refuse(problems: Sequence[Problem]) -> NoReturn:
    """Raise ValidationError for one problem, InvalidInput naming each of several."""
    if len(problems) == 1:
        raise ValidationError(*problems[0])
    raise InvalidInput(problems)


def text_problems(value: object, path: str = "") -> list[Problem]:
    """Every refused text in a parsed JSON value (or any nesting of mappings and lists),
    keys included, each with its path (`customer.name`, `flags.0`)."""
    return _problems(value, path, None, None)


def check_command(command: object, now: datetime | None = None, today: date | None = None
                  ) -> None:
    """Check every text, amount and quantity in a command (nested dataclasses, tuples,
    mappings); with `now` (aware) event times too, with `today` (the shop's calendar day)
    ETAs. Raises ValidationError, or InvalidInput naming every bad field by its path."""
    problems = _problems(command, "", now, today)
    if problems:
        refuse(problems)


def _problems(value: object, path: str, now: datetime | None, today: date | None
              ) -> list[Problem]:
    """Every problem in `value`, in walking order, each with its path (`path` the prefix)."""
    found: list[Problem] = []
    _walk(value, (path,) if path else (), now, today, found)
    return found


def _walk(value: object, at: tuple[str, ...], now: datetime | None, today: date | None,
          found: list[Problem]) -> None:
    """The walk under `_problems`, appending to `found`. Paths are joined only for a
    problem (every request walks its JSON and then its command: most have none)."""
    if isinstance(value, str):
        problem = text_problem(value)
        if problem is not None:
            found.append((_joined(at) or "text", problem))
        return
    kind: type = type(value)
    if kind in _LEAVES:
        return
    if isinstance(value, Decimal):
        found.extend(_caught(check_amount, value, _joined(at) or "amount"))
    elif is_dataclass(value) and not isinstance(value, type):
        for name in field_names(kind):
            _field(getattr(value, name), name, (*at, name), now, today, found)
    elif isinstance(value, Mapping):
        for key, inner in value.items():
            here = (*at, str(key))
            _walk(key, here, now, today, found)
            _walk(inner, here, now, today, found)
    elif isinstance(value, list | tuple | set | frozenset):
        for index, inner in enumerate(value):
            _walk(inner, (*at, str(index)), now, today, found)


def _joined(at: tuple[str, ...]) -> str:
    """`customer.name`, `lines.0.sku`: each part after a dot, but after an empty path
    (a top-level empty key) none."""
    path = ""
    for part in at:
        path = f"{path}.{part}" if path else part
    return path


# Types that hold no text: the walk stops at them at once.
_LEAVES = frozenset({int, float, bool, type(None), datetime, date})


@cache
def field_names(cls: type) -> tuple[str, ...]:
    """The names of a dataclass's fields, in order (`dataclasses.fields`, asked once per
    class: the input policy and the request fingerprint walk every order command)."""
    return tuple(f.name for f in fields(cls))


def _field(value: object, name: str, at: tuple[str, ...], now: datetime | None,
           today: date | None, found: list[Problem]) -> None:
    if value is None:
        return
    if name in _QUANTITY_FIELDS:
        found.extend(_caught(check_quantity, value, _joined(at)))
    if name in _ETA_FIELDS and today is not None and isinstance(value, date):
        found.extend(_caught(check_eta, value, today, _joined(at)))
    if name in _EVENT_TIME_FIELDS and now is not None and isinstance(value, datetime):
        found.extend(_caught(check_event_time, value, now, _joined(at)))
    _walk(value, at, now, today, found)


def _caught(check: object, *args: object) -> Iterator[Problem]:
    try:
        check(*args)  # type: ignore[operator]
    except ValidationError as exc:
        yield exc.field, exc.reason_text
