"""Errors a person can cause. Each carries a message written for that person.

``text`` is the message as a ``Text`` (an English id marked ``N_`` and its parameters) that a
channel says in its reader's language; ``message`` is the same sentence in English, for logs
and programs (the HTTP API's ``message``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from domain.texts import N_, Code, Text, english

Message = str | Text


def as_text(message: Message) -> Text:
    return message if isinstance(message, Text) else Text(message)


# Words several errors share (the kinds of NotFound, the past ETA, nothing to ship).
ORDER = Text(N_("Order"))
PRODUCT = Text(N_("Product"))
WAREHOUSE = Text(N_("Warehouse"))
ETA_IN_THE_PAST = Text(N_("is before today; give the day the parcel should arrive"))


def name_rule(longest: int) -> Text:
    """The rule for codes, SKUs and box names, said when one breaks it."""
    return Text.of(N_("use letters, digits, '.', '_' or '-' (at most %(max)s)"), max=longest)


def nothing_left_to_ship(number: str, warehouse: str | None) -> Text:
    if warehouse:
        return Text.of(N_("Order %(number)s has nothing left to ship from %(warehouse)s"),
                       number=number, warehouse=warehouse)
    return Text.of(N_("Order %(number)s has nothing left to ship"), number=number)


class DomainError(Exception):
    """Base of every error caused by input or state, never by a bug."""

    code = "domain_error"

    def __init__(self, message: Message) -> None:
        self.text = as_text(message)
        self.message = english(self.text)
        super().__init__(self.message)


class ValidationError(DomainError):
    code = "validation_error"

    def __init__(self, field: str, message: Message) -> None:
        super().__init__(Text.of(N_("%(field)s: %(reason)s"), field=field,
                                 reason=as_text(message)))
        self.field = field
        self.reason_text = as_text(message)  # the reason alone, for a reader who needs no field
        self.reason = english(self.reason_text)


class InvalidInput(DomainError):
    """Several bad fields at once, each named by its path."""

    code = "validation_error"

    def __init__(self, problems: Sequence[tuple[str, Message]]) -> None:
        each = [Text.of(N_("%(field)s: %(reason)s"), field=path, reason=as_text(msg))
                for path, msg in problems]
        super().__init__(Text("%(problems)s", {"problems": each}))  # said one by one
        self.message = "; ".join(english(problem) for problem in each)
        self.args = (self.message,)
        self.problems = [(path, english(as_text(msg))) for path, msg in problems]


class NotFound(DomainError):
    code = "not_found"

    def __init__(self, kind: Message, key: object) -> None:
        super().__init__(Text.of(N_("%(kind)s %(key)s not found"), kind=as_text(kind), key=key))
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
        names = [Text.of(N_("%(sku)s (%(requested)s wanted, %(available)s available)"),
                         sku=s.sku, requested=s.requested, available=s.available)
                 for s in shortages]
        super().__init__(Text.of(N_("not enough stock: %(items)s"), items=names))
        self.shortages = list(shortages)


class InvalidTransition(DomainError):
    code = "invalid_transition"

    def __init__(self, subject: Message, status: str, action: str,
                 allowed: Sequence[str]) -> None:
        super().__init__(Text.of(
            N_("%(subject)s is %(status)s: cannot %(action)s (allowed: %(allowed)s)"),
            subject=as_text(subject), status=Code("status", status), action=action,
            allowed=list(allowed) if allowed else Text(N_("nothing"))))
        self.status = status
        self.action = action
        self.allowed = list(allowed)


class NotAuthorised(DomainError):
    code = "not_authorised"

    def __init__(self, message: Message = Text(N_("not authorised"))) -> None:
        super().__init__(message)


class Conflict(DomainError):
    code = "conflict"


class NotReturnable(Conflict):
    """The order cannot be returned (not delivered yet, the return window has closed): the
    message is written for the customer who asked."""


class Retry(Exception):
    """A concurrent change won (stock taken, duplicate insert); the bus runs the command again."""
