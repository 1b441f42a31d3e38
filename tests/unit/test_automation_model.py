"""Purchase-order numbers, the sales rate and days of cover, job summaries."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest

from domain.automation.commands import JobOutcome
from domain.automation.delays import new_estimate
from domain.automation.model import (
    PurchaseOrder,
    daily_rate,
    days_of_cover,
    format_po_number,
    parse_po_number,
)
from domain.automation.runner import describe
from domain.errors import InvalidTransition

AT = datetime(2026, 11, 24, tzinfo=UTC)


@pytest.mark.parametrize(("text", "number"), [
    ("PO-000012", 12), ("po-12", 12), ("#12", 12), ("12", 12), (" PO12 ", 12),
    ("PO-0", None), ("PO-x", None), ("ORD-000012", None), ("", None), ("1" * 13, None)])
def test_po_numbers(text: str, number: int | None) -> None:
    assert parse_po_number(text) == number


def test_po_number_format_round_trips() -> None:
    assert format_po_number(7) == "PO-000007"
    assert parse_po_number(format_po_number(123456)) == 123456


def test_rate_and_cover() -> None:
    assert daily_rate(96) == Decimal("3.20")
    assert days_of_cover(4, 96) == Decimal("1.3")
    assert days_of_cover(0, 30) == Decimal("0.0")
    assert days_of_cover(-2, 30) == Decimal("0.0")
    assert days_of_cover(10, 0) is None


def test_purchase_order_lifecycle() -> None:
    po = PurchaseOrder("MUG-01", "MIL", 50, "s@example.com", AT, id=1)
    assert po.approve("U1", AT) is True
    assert po.approve("U2", AT) is False and po.approved_by == "U1"
    po.close_on_receipt(AT)
    assert po.status == "received"
    with pytest.raises(InvalidTransition):
        po.approve("U1", AT)
    draft = PurchaseOrder("MUG-01", "MIL", 50, None, AT, id=2)
    draft.close_on_receipt(AT)
    assert draft.status == "cancelled"


def test_new_estimates() -> None:
    today = AT.date()
    assert new_estimate("ship", today, 5).isoformat() == "2026-11-30"
    assert new_estimate("delivery", today, 5).isoformat() == "2026-11-26"


def test_describe() -> None:
    assert describe(JobOutcome("delays")) == "delays: nothing to do"
    assert describe(JobOutcome("delays", ("a",))) == "delays: 1 effect"
    assert describe(JobOutcome("delays", ("a", "b"))) == "delays: 2 effects"
    assert describe(JobOutcome("delays", skipped="busy")) == "delays: skipped: busy"
