"""`omsbot import orders FILE`: CSV or JSON Lines, the API's fields plus history fields.

CSV has one line per row; rows sharing `channel` and `external_id` form one order. Columns:
external_id, channel, currency, customer_email, customer_name, customer_phone,
customer_locale, ship_name, ship_line1, ship_line2, ship_city, ship_postal_code,
ship_country, sku, quantity, unit_price, unit_cost, shipping_method, payment_status,
flags (separated by `|`), placed_at, status, shipped_at, delivered_at.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any, Literal

from pydantic import ValidationError as PydanticError
from pydantic import field_validator

from channels.http.errors import pydantic_fields
from channels.http.schemas import OrderIn, _aware
from domain.errors import DomainError
from domain.messagebus import Actor, MessageBus

IMPORT = Actor("import", "import")


class ImportedOrderIn(OrderIn):
    status: Literal["pending_payment", "confirmed", "shipped", "delivered", "completed",
                    "cancelled"] | None = None
    shipped_at: datetime | None = None
    delivered_at: datetime | None = None

    _history_times = field_validator("shipped_at", "delivered_at")(_aware)


@dataclass
class Rejected:
    row: str
    reason: str


@dataclass
class ImportReport:
    imported: int
    duplicates: int
    rejected: list[Rejected]


def read_rows(path_name: str, text: str) -> Iterator[tuple[str, Any]]:
    """Yield (row label, order dict or a problem string)."""
    if path_name.endswith((".jsonl", ".ndjson", ".json")):
        for number, line in enumerate(text.splitlines(), start=1):
            if not line.strip():
                continue
            try:
                yield f"line {number}", json.loads(line)
            except ValueError as exc:
                yield f"line {number}", f"not valid JSON: {exc}"
        return
    yield from _csv_orders(text)


def _csv_orders(text: str) -> Iterator[tuple[str, Any]]:
    groups: dict[tuple[str, str], tuple[str, dict[str, Any]]] = {}
    reader = csv.DictReader(io.StringIO(text))
    for number, row in enumerate(reader, start=2):
        row = {k.strip(): (v or "").strip() for k, v in row.items() if k}
        key = (row.get("channel", ""), row.get("external_id", ""))
        line = {k: v for k, v in {"sku": row.get("sku", ""),
                                  "quantity": _int(row.get("quantity", "")),
                                  "unit_price": row.get("unit_price") or None,
                                  "unit_cost": row.get("unit_cost") or None}.items()
                if v is not None}
        if key in groups:
            groups[key][1]["lines"].append(line)
            continue
        order: dict[str, Any] = {
            "external_id": row.get("external_id", ""), "channel": row.get("channel", ""),
            "currency": row.get("currency", ""),
            "customer": _drop_empty({"email": row.get("customer_email", ""),
                                     "name": row.get("customer_name", ""),
                                     "phone": row.get("customer_phone"),
                                     "locale": row.get("customer_locale")}),
            "shipping_address": _drop_empty({
                "name": row.get("ship_name", ""), "line1": row.get("ship_line1", ""),
                "line2": row.get("ship_line2"), "city": row.get("ship_city", ""),
                "postal_code": row.get("ship_postal_code", ""),
                "country": row.get("ship_country", "")}),
            "lines": [line],
            "payment": {"status": row.get("payment_status") or "paid"},
            "flags": [f for f in (row.get("flags") or "").split("|") if f],
        }
        for name in ("shipping_method", "placed_at", "status", "shipped_at", "delivered_at"):
            if row.get(name):
                order[name] = row[name]
        groups[key] = (f"row {number}", order)
    yield from groups.values()


def _int(text: str) -> int | str:
    return int(text) if text.isdigit() else text


def _drop_empty(values: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in values.items() if v not in (None, "") or k in ("email",)}


async def import_orders(bus: MessageBus, path_name: str, text: str) -> ImportReport:
    report = ImportReport(0, 0, [])
    for label, data in read_rows(path_name, text):
        summary = _summary(data)
        if isinstance(data, str):
            report.rejected.append(Rejected(label, data))
            continue
        try:
            body = ImportedOrderIn.model_validate(data)
            command = replace(body.to_command(None), status=body.status,
                              shipped_at=body.shipped_at, delivered_at=body.delivered_at)
            result = await bus.handle(command, IMPORT)
        except PydanticError as exc:
            reason = "; ".join(f"{f['path']}: {f['message']}" for f in pydantic_fields(exc))
            report.rejected.append(Rejected(f"{label} {summary}", reason))
        except DomainError as exc:  # unknown SKU, bad e-mail, not enough stock, ...
            report.rejected.append(Rejected(f"{label} {summary}", exc.message))
        else:
            if result.created:
                report.imported += 1
            else:
                report.duplicates += 1
    return report


def _summary(data: Any) -> str:
    if isinstance(data, dict):
        return f"({data.get('channel', '?')} {data.get('external_id', '?')})"
    return ""
