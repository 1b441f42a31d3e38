"""Reading an import file: its encoding, its format (CSV with `,` or `;`, JSON Lines, a
JSON array) and its rows, each kept with the line numbers it came from."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from charset_normalizer import from_bytes

from channels.importing.columns import COLUMNS
from domain.input_policy import sales_channel

_ENCODINGS = ["utf_8", "cp1252"]


class UnreadableFile(Exception):
    """The file is not text we can read (one line for the shop owner)."""


@dataclass
class SourceOrder:
    """One order as read: its data in API shape, where it came from, or why not."""

    line: int  # first line of the order in the file
    data: dict[str, Any] | None
    problem: str | None = None
    line_rows: list[int] = field(default_factory=list)  # CSV: the line of each order line
    csv: bool = False


def decode(raw: bytes) -> str:
    """UTF-8 (with or without BOM) or Windows-1252, told apart by charset-normalizer."""
    if raw.startswith(b"\xef\xbb\xbf"):
        return raw[3:].decode("utf-8")
    if not raw:
        return ""
    best = from_bytes(raw, cp_isolation=_ENCODINGS).best()
    if best is None:
        raise UnreadableFile("the file is neither UTF-8 nor Windows-1252 text")
    return str(best)


def read_orders(text: str) -> Iterator[SourceOrder]:
    """The orders in `text`, whichever of the three formats it is."""
    start = text.lstrip()[:1]
    if start == "[":
        yield from _json_array(text)
    elif start == "{":
        yield from _json_lines(text)
    else:
        yield from _csv_orders(text)


def _json_lines(text: str) -> Iterator[SourceOrder]:
    for number, line in enumerate(text.splitlines(), start=1):
        if line.strip():
            yield _json_item(number, line)


def _json_item(number: int, text: str) -> SourceOrder:
    try:
        data = json.loads(text)
    except ValueError as exc:
        return SourceOrder(number, None, f"not valid JSON: {exc}")
    if not isinstance(data, dict):
        return SourceOrder(number, None, "each order must be a JSON object")
    return SourceOrder(number, data)


def _json_array(text: str) -> Iterator[SourceOrder]:
    try:
        items = json.loads(text)
    except ValueError as exc:
        yield SourceOrder(1, None, f"not valid JSON: {exc}")
        return
    for index, item in enumerate(items, start=1):
        if isinstance(item, dict):
            yield SourceOrder(index, item)
        else:
            yield SourceOrder(index, None, "each order must be a JSON object")


def _csv_orders(text: str) -> Iterator[SourceOrder]:
    sample = text[:65536]
    try:
        delimiter = csv.Sniffer().sniff(sample.partition("\n")[0], delimiters=",;").delimiter
    except csv.Error:
        delimiter = ","
    reader = csv.DictReader(io.StringIO(text), delimiter=delimiter)
    known = {c for c, _, _ in COLUMNS}
    unknown = [c for c in reader.fieldnames or () if c.strip() not in known]
    if unknown:
        yield SourceOrder(1, None, f"unknown columns: {', '.join(unknown)}; the columns are "
                                   f"listed by `omsbot import orders --help`")
        return
    # Streamed: an order is complete when the next row belongs to another one, so memory
    # holds one order, not the file. Only the keys already seen are remembered.
    seen: set[tuple[str, str]] = set()
    current: SourceOrder | None = None
    key: tuple[str, str] | None = None
    previous_end = 1
    for row in reader:
        number, previous_end = previous_end + 1, reader.line_num
        cells = {k.strip(): (v or "").strip() for k, v in row.items() if k}
        row_key = (sales_channel(cells.get("channel", "")), cells.get("external_id", ""))
        line = _line(cells, decimal_comma=delimiter == ";")
        if current is not None and current.data is not None and row_key == key:
            current.data["lines"].append(line)
            current.line_rows.append(number)
            continue
        if current is not None:
            yield current
        if row_key in seen:
            current = SourceOrder(number, None, "the rows of one order (same channel and "
                                                "external_id) must be next to each other")
        else:
            current = SourceOrder(number, _order(cells, line), line_rows=[number], csv=True)
        seen.add(row_key)
        key = row_key
    if current is not None:
        yield current


def _line(cells: dict[str, str], *, decimal_comma: bool) -> dict[str, Any]:
    line: dict[str, Any] = {"sku": cells.get("sku", "")}
    quantity = cells.get("quantity", "")
    line["quantity"] = int(quantity) if quantity.isdigit() and quantity.isascii() else quantity
    for name in ("unit_price", "unit_cost"):
        value = cells.get(name, "")
        if value:
            line[name] = value.replace(",", ".") if decimal_comma else value
    return line


def _order(cells: dict[str, str], line: dict[str, Any]) -> dict[str, Any]:
    def some(*names: str, prefix: str = "") -> dict[str, str]:
        return {n: cells[prefix + n] for n in names if cells.get(prefix + n)}

    order: dict[str, Any] = {
        **some("external_id", "channel", "currency"),
        "customer": {"email": cells.get("customer_email", ""),
                     **some("name", "phone", "locale", prefix="customer_")},
        "shipping_address": some("name", "line1", "line2", "city", "postal_code", "country",
                                 prefix="ship_"),
        "lines": [line],
        "payment": {"status": cells.get("payment_status") or "paid"},
        "flags": [f for f in (cells.get("flags") or "").split("|") if f],
        **some("shipping_method", "placed_at", "status", "shipped_at", "delivered_at"),
    }
    return order
