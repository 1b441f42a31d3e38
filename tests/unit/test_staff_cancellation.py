"""A staff cancellation on the domain over in-memory fakes: an empty list of lines cancels
nothing (F3), the customer hears of it and of its refund (F6), the order then charges what
is left (F9), and an order placed without payment info has received nothing (F27)."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest

from domain.accounting.model import PaymentStatus
from domain.clock import FixedClock
from domain.errors import InvalidInput
from domain.orders import commands as oc
from domain.orders.snapshot import order_view
from tests.catalog import order_command
from tests.unit.test_money_domain import priced, shop

NOW = datetime(2026, 11, 24, 10, 0, tzinfo=UTC)
D = Decimal


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(NOW)


async def test_an_empty_list_of_lines_cancels_nothing(clock: FixedClock) -> None:
    bus, store = await shop(clock)
    oid = (await bus.handle(priced("E", ("MUG-01", 2, "12.50")))).order_id

    for lines in ((), (oc.CancelLine("MUG-01", 0),)):
        with pytest.raises(InvalidInput) as refused:
            await bus.handle(oc.CancelOrder(oid, "nothing", lines))
        assert refused.value.problems[0][0] in ("lines", "lines.MUG-01")
    order = store.orders[oid]
    assert (order.status, order.refunded, order.lines[0].cancelled) == ("confirmed", D(0), 0)


async def test_a_partial_cancellation_leaves_the_order_charging_what_is_left(
        clock: FixedClock) -> None:
    bus, store = await shop(clock)
    oid = (await bus.handle(priced("P", ("MUG-01", 2, "14.00")))).order_id
    before = store.orders[oid].tax_total
    await bus.handle(oc.CancelOrder(oid, "one less", (oc.CancelLine("MUG-01", 1),)))

    order = store.orders[oid]
    assert (order.subtotal, order.shipping_total, order.total) == (D("14.00"), D("4.90"),
                                                                   D("18.90"))
    assert order.tax_total <= before
    assert (order.paid, order.refunded, order.charged) == (D("32.90"), D("14.00"), D("18.90"))
    assert order.payment_status == PaymentStatus.PARTIALLY_REFUNDED
    [line] = order_view(order, None)["lines"]
    assert (line["quantity"], line["cancelled"], line["charged_quantity"],
            line["line_total"]) == (2, 1, 1, "14.00")


async def test_a_whole_cancellation_keeps_the_record_of_what_was_ordered(
        clock: FixedClock) -> None:
    bus, store = await shop(clock)
    oid = (await bus.handle(priced("W", ("MUG-01", 2, "14.00")))).order_id
    await bus.handle(oc.CancelOrder(oid, "changed mind"))

    order = store.orders[oid]
    assert (order.total, order.charged, order.refunded) == (D("32.90"), D(0), D("32.90"))
    [line] = order_view(order, None)["lines"]
    assert (line["charged_quantity"], line["line_total"]) == (2, "28.00")


async def test_staff_cancellations_tell_the_customer_and_mail_the_refund(
        clock: FixedClock) -> None:
    bus, store = await shop(clock)
    oid = (await bus.handle(priced("N", ("MUG-01", 2, "14.00")))).order_id
    await bus.handle(oc.CancelOrder(oid, "damaged", (oc.CancelLine("MUG-01", 1),)))
    await bus.handle(oc.CancelOrder(oid, "customer asked"))

    mails = [(n.kind, n.payload) for n in store.outbox
             if n.channel == "email" and n.order_id == oid and n.kind != "order_confirmation"]
    assert mails == [
        ("order_cancelled", {"order_id": oid, "reason": "damaged",
                             "lines": [{"sku": "MUG-01", "quantity": 1}]}),
        ("refund_issued", {"order_id": oid, "amount": "14.00", "currency": "EUR"}),
        ("order_cancelled", {"order_id": oid, "reason": "customer asked"}),
        ("refund_issued", {"order_id": oid, "amount": "18.90", "currency": "EUR"}),
    ]


async def test_an_unpaid_cancellation_mails_no_refund(clock: FixedClock) -> None:
    bus, store = await shop(clock)
    oid = (await bus.handle(priced("U", ("MUG-01", 1, "14.00"),
                                   payment_status="pending"))).order_id
    await bus.handle(oc.CancelOrder(oid, "no payment"))

    kinds = [n.kind for n in store.outbox if n.channel == "email" and n.order_id == oid]
    assert kinds == ["order_awaiting_payment", "order_cancelled"]


async def test_an_order_without_payment_info_has_received_nothing(clock: FixedClock) -> None:
    bus, store = await shop(clock)
    cmd = order_command("NOPAY")
    unpaid = oc.PlaceOrder(**{k: v for k, v in cmd.__dict__.items() if k != "payment_status"})
    oid = (await bus.handle(unpaid)).order_id

    order = store.orders[oid]
    assert (order.status, order.paid, order.payment_status) == (
        "pending_payment", D(0), PaymentStatus.PENDING)
    assert not [ln for ln in store.journal if ln.account == "cash"]
