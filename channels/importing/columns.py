"""The CSV columns of an order import, their API field paths, and what each means."""

from __future__ import annotations

import re

# (CSV column, API field path, what it holds). Rows sharing channel + external_id are
# one order: the order's columns are read from its first row, the line columns from each.
COLUMNS: tuple[tuple[str, str, str], ...] = (
    ("external_id", "external_id", "the order's number in the old system (required)"),
    ("channel", "channel", "sales channel: letters, digits, - and _ (web, pos-milano, "
                           "amazon-it…)"),
    ("currency", "currency", "ISO 4217 code, e.g. EUR"),
    ("customer_email", "customer.email", "the customer's e-mail address"),
    ("customer_name", "customer.name", "the customer's name"),
    ("customer_phone", "customer.phone", "phone number (optional)"),
    ("customer_locale", "customer.locale", "en or it (optional)"),
    ("ship_name", "shipping_address.name", "addressee"),
    ("ship_line1", "shipping_address.line1", "street and number"),
    ("ship_line2", "shipping_address.line2", "more address (optional)"),
    ("ship_city", "shipping_address.city", "city"),
    ("ship_postal_code", "shipping_address.postal_code", "postal code"),
    ("ship_country", "shipping_address.country", "ISO 3166 two-letter country"),
    ("sku", "lines.N.sku", "one line per row: the SKU"),
    ("quantity", "lines.N.quantity", "units, a whole number"),
    ("unit_price", "lines.N.unit_price", "price per unit, e.g. 12.50 (12,50 in a ; file)"),
    ("unit_cost", "lines.N.unit_cost", "cost per unit (optional)"),
    ("shipping_method", "shipping_method", "shipping method code (optional)"),
    ("payment_status", "payment.status", "paid (default) or pending"),
    ("flags", "flags", "vip, gift, replacement, separated by |"),
    ("placed_at", "placed_at", "when it was placed, e.g. 2025-03-01T09:00:00Z (not in the "
                               "future: at most 5 minutes ahead of this server's clock)"),
    ("status", "status", "history: pending_payment, confirmed, shipped, delivered, "
                         "completed or cancelled"),
    ("shipped_at", "shipped_at", "history: when it shipped (not before placed_at; required "
                                 "with status shipped)"),
    ("delivered_at", "delivered_at", "history: when it arrived (not before shipped_at; "
                                     "required with status delivered or completed)"),
)
_BY_PATH = {path: column for column, path, _ in COLUMNS}
_LINE = re.compile(r"lines\.(\d+)\.(\w+)")


def column_of(path: str) -> tuple[str, int | None]:
    """An API field path → (CSV column, index of the order line or None)."""
    match = _LINE.fullmatch(path)
    if match is not None:
        return match.group(2), int(match.group(1))
    if path.startswith("flags"):
        return "flags", None
    return _BY_PATH.get(path, path), None


def columns_help() -> str:
    """The column list as text, for `--help` and the README."""
    width = max(len(c) for c, _, _ in COLUMNS)
    return "\n".join(f"{column.ljust(width)}  {text}" for column, _, text in COLUMNS)
