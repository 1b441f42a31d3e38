"""What plain words stand for: the request an intent and its values make (`request_for`, raising
`Missing` for a value the message lacks), and the way back from a change to words: its
summary for the confirmation and the command line Confirm runs.

Standard library, the staff requests and the domain's number formats only.
"""

from __future__ import annotations

from typing import Any

from channels import staff_requests as sr
from domain.orders.model import format_order_number
from domain.returns.model import format_rma

# The report's periods are today, this week and this month; yesterday is in this week's.
PERIODS: dict[str, sr.ReportPeriod] = {"today": "today", "yesterday": "week", "week": "week",
                                       "month": "month"}


class Missing(Exception):
    """A value the request needs and the message did not give ("which order?")."""

    def __init__(self, what: str) -> None:
        super().__init__(what)
        self.what = what


def _need(values: dict[str, Any], key: str) -> Any:
    if key not in values:
        raise Missing(key)
    return values[key]


def request_for(intent: str, values: dict[str, Any]) -> sr.StaffRequest | None:
    """The request a plain-words intent stands for; None for small talk and the unknown."""
    match intent:
        case "stock":
            return sr.ShowStock(_need(values, "sku"))
        case "order":
            return sr.ShowOrder(_need(values, "order"))
        case "customer":
            return sr.ShowCustomer(_need(values, "email"))
        case "top":
            return sr.TopProducts(min(values.get("quantity", 10), 100))
        case "report":
            return sr.Report(PERIODS.get(values.get("when", "today"), "today"))
        case "lowstock":
            return sr.LowStock()
        case "ship":
            return sr.ShipOrder(_need(values, "order"), _need(values, "carrier"),
                                _need(values, "tracking"))
        case "cancel":
            return sr.CancelOrder(_need(values, "order"))
        case "hold":
            return sr.HoldOrder(_need(values, "order"))
        case "receive":
            return sr.ReceiveStock(_need(values, "sku"), _need(values, "quantity"),
                                   values.get("warehouse"))
        case "approve_return":
            return sr.ReturnAction("approve", _need(values, "rma"))
    return None


def values_of(request: sr.StaffRequest) -> dict[str, Any]:
    """What a request is about, to remember for follow-ups."""
    found: dict[str, Any] = {}
    for field_name, key in (("number", "order"), ("sku", "sku"), ("warehouse", "warehouse"),
                            ("rma", "rma")):
        value = getattr(request, field_name, None)
        if value is not None:
            found[key] = value
    return found


def summary(request: sr.StaffRequest) -> dict[str, Any]:
    """What a change will do, for the confirmation question: the action and its values,
    order and return numbers formatted (ORD-000123, RMA-000045)."""
    values: dict[str, Any] = {"action": request.command}
    for name in ("carrier", "tracking", "sku", "quantity", "warehouse", "action"):
        if (value := getattr(request, name, None)) is not None:
            values[name] = value
    if isinstance(request, sr.ReturnAction):
        values["action"] = f"return_{request.action}"
        values["rma"] = format_rma(request.rma)
    if (number := getattr(request, "number", None)) is not None:
        values["order"] = format_order_number(number)
    return values


def _quoted(word: str) -> str:
    return f'"{word}"' if any(c.isspace() for c in word) else word


def command_line(request: sr.StaffRequest) -> str:
    """The command a change stands for: `ship 12 BRT 1Z999`, `receive MUG-01 5 MIL`, …"""
    match request:
        case sr.ShipOrder(number=n, carrier=carrier, tracking=tracking):
            return f"ship {n} {_quoted(carrier)} {_quoted(tracking)}"
        case sr.CancelOrder(number=n, reason=reason):
            return f"cancel {n} {reason}".strip()
        case sr.HoldOrder(number=n):
            return f"hold {n}"
        case sr.ReceiveStock(sku=sku, quantity=quantity, warehouse=warehouse):
            return f"receive {sku} {quantity} {warehouse or ''}".strip()
        case sr.ReturnAction(action=action, rma=rma):
            return f"return {action} {rma}"
    raise ValueError(f"not a change plain words offer: {request!r}")
