"""Reading an import file: its encoding, its format (CSV with `,` or `;`, JSON Lines, a
JSON array) and its rows, each kept with the line numbers it came from.

A file is streamed: CSV and JSON Lines are read a line at a time and handed on an order at
a time, so memory holds one order, not the file (a JSON array is one JSON value, read
whole). Only the encoding check reads ahead, a sample and then the bytes in chunks."""

from __future__ import annotations

import codecs
import csv
import io
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from itertools import chain
from pathlib import Path
from typing import Any

from charset_normalizer import from_bytes

from channels.importing.columns import COLUMNS
from domain.input_policy import sales_channel

_ENCODINGS = ["utf_8", "cp1252"]
SAMPLE = 1 << 20  # bytes charset-normalizer judges
CHUNK = 1 << 20  # bytes read at a time when checking or counting


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


def detect_encoding(path: Path) -> str:
    """`utf-8-sig` (a BOM), `utf-8` or `cp1252`. charset-normalizer judges the first MiB
    (cut at a line end); when it finds UTF-8 (or plain ASCII) the rest is checked to the
    end with an incremental decoder, since Windows-1252 letters may first appear late in a
    file. UnreadableFile when it is neither."""
    try:
        with path.open("rb") as f:
            head = f.read(SAMPLE)
            if head.startswith(codecs.BOM_UTF8):
                return "utf-8-sig"
            more = f.read(1)
    except OSError as exc:
        raise UnreadableFile(f"{path}: {exc.strerror or exc}") from None
    sample = head[:head.rfind(b"\n") + 1] if more and b"\n" in head else head
    if not sample:
        return "utf-8"
    best = from_bytes(sample, cp_isolation=_ENCODINGS).best()
    if best is None:
        raise UnreadableFile("the file is neither UTF-8 nor Windows-1252 text")
    if best.encoding not in ("utf_8", "ascii"):
        return "cp1252"
    return "utf-8" if not more or _all_utf8(path) else "cp1252"


def _all_utf8(path: Path) -> bool:
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        with path.open("rb") as f:
            while chunk := f.read(CHUNK):
                decoder.decode(chunk)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def count_lines(path: Path) -> int:
    """Lines in the file (for a progress bar), read in chunks."""
    with path.open("rb") as f:
        return sum(chunk.count(b"\n") for chunk in iter(lambda: f.read(CHUNK), b""))


def read_file(path: Path, encoding: str) -> Iterator[SourceOrder]:
    """The orders of the file at `path`, streamed (see the module's docstring)."""
    with path.open(encoding=encoding, newline="") as f:
        yield from _orders_in(f)


def read_orders(text: str) -> Iterator[SourceOrder]:
    """The orders in `text`, whichever of the three formats it is."""
    return _orders_in(io.StringIO(text, newline=""))


def _orders_in(lines: Iterable[str]) -> Iterator[SourceOrder]:
    rest = iter(lines)
    head: list[str] = []
    for line in rest:
        head.append(line)
        if line.strip():
            break
    start = "".join(head).lstrip()[:1]
    everything = chain(head, rest)
    if start == "[":
        yield from _json_array("".join(everything))
    elif start == "{":
        yield from _json_lines(everything)
    else:
        yield from _csv_orders(everything)


def _json_lines(lines: Iterable[str]) -> Iterator[SourceOrder]:
    for number, line in enumerate(lines, start=1):
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


def _csv_orders(lines: Iterable[str]) -> Iterator[SourceOrder]:
    rest = iter(lines)
    header = next(rest, "")
    try:
        delimiter = csv.Sniffer().sniff(header, delimiters=",;").delimiter
    except csv.Error:
        delimiter = ","
    reader = csv.DictReader(chain([header], rest), delimiter=delimiter)
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
