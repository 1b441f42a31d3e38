"""Placing imported orders through the bus, each rejected row reported by line and column."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Literal

from pydantic import ValidationError as PydanticError
from pydantic import field_validator

from channels.http.errors import pydantic_fields
from channels.http.schemas import OrderIn, _aware
from channels.importing.columns import column_of
from channels.importing.files import SourceOrder
from domain.errors import DomainError, InvalidInput, ValidationError
from domain.messagebus import Actor, MessageBus
from domain.orders.history import history_problems

IMPORT = Actor("import", "import")


class ImportedOrderIn(OrderIn):
    status: Literal["pending_payment", "confirmed", "shipped", "delivered", "completed",
                    "cancelled"] | None = None
    shipped_at: datetime | None = None
    delivered_at: datetime | None = None

    _history_times = field_validator("shipped_at", "delivered_at")(_aware)


@dataclass(frozen=True)
class Rejected:
    """Why one row (or field of it) was refused."""

    line: int
    column: str | None
    reason: str
    order: str = ""

    def __str__(self) -> str:
        where = f"line {self.line}" + (f", column {self.column}" if self.column else "")
        return f"{where}{f' ({self.order})' if self.order else ''}: {self.reason}"


@dataclass
class ImportReport:
    imported: int = 0
    duplicates: int = 0
    rejected: list[Rejected] = field(default_factory=list)


async def import_orders(bus: MessageBus, orders: Iterable[SourceOrder], *,
                        dry_run: bool = False, notify: bool = False,
                        advance: Callable[[SourceOrder], None] | None = None) -> ImportReport:
    """Place every readable order; a refused one is reported and the rest go on.

    `dry_run` checks each order in a transaction that is rolled back (nothing is written);
    `notify` lets customers and staff hear of imported orders (off by default).
    """
    report = ImportReport()
    for source in orders:
        problems = await _place(bus, source, dry_run=dry_run, notify=notify, report=report)
        report.rejected.extend(problems)
        if advance is not None:
            advance(source)
    return report


async def _place(bus: MessageBus, source: SourceOrder, *, dry_run: bool, notify: bool,
                 report: ImportReport) -> list[Rejected]:
    if source.data is None:
        return [Rejected(source.line, None, source.problem or "unreadable")]
    try:
        body = ImportedOrderIn.model_validate(source.data)
        history = history_problems(body.status, body.placed_at, body.shipped_at,
                                   body.delivered_at, bus.clock.now())
        if history:
            raise InvalidInput(history)
        command = replace(body.to_command(None), status=body.status, shipped_at=body.shipped_at,
                          delivered_at=body.delivered_at, notify=notify)
        result = await bus.handle(command, IMPORT, commit=not dry_run)
    except PydanticError as exc:
        return [_at(source, f["path"], f["message"]) for f in pydantic_fields(exc)]
    except InvalidInput as exc:
        return [_at(source, path, message) for path, message in exc.problems]
    except ValidationError as exc:
        return [_at(source, exc.field, exc.reason)]
    except DomainError as exc:  # not enough stock, the same external id with other content…
        return [Rejected(source.line, None, exc.message, _summary(source))]
    if result.created:
        report.imported += 1
    else:
        report.duplicates += 1
    return []


def _at(source: SourceOrder, path: str, message: str) -> Rejected:
    """Name the CSV line and column of an API field path (JSON: the line and the path)."""
    if not source.csv:
        return Rejected(source.line, path, message, _summary(source))
    column, index = column_of(path)
    line = source.line
    if index is not None and index < len(source.line_rows):
        line = source.line_rows[index]
    return Rejected(line, column, message, _summary(source))


def _summary(source: SourceOrder) -> str:
    data = source.data or {}
    return f"{data.get('channel', '?')} {data.get('external_id', '?')}"
