"""Payments, refunds and the journal on the domain over in-memory fakes (milliseconds)."""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import pytest

from domain.accounting.commands import RecordPayment
from domain.accounting.journal import JournalLine
from domain.accounting.model import PaymentStatus, PaymentTooLarge, RefundTooLarge
from domain.accounting.tax import TaxSplit, split
from domain.clock import FixedClock
from domain.inventory import commands as ic
from domain.messagebus import MessageBus
from domain.orders import commands as oc
from domain.returns import commands as rc
from tests.catalog import order_command, small_shop
from tests.fakes import Store, fake_bus

NOW = datetime(2026, 11, 24, 10, 0, tzinfo=UTC)
D = Decimal


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(NOW)


async def shop(clock: FixedClock, **config: Any) -> tuple[MessageBus, Store]:
    bus, store = fake_bus(clock, **config)
    await small_shop(bus)
    await bus.handle(ic.UpsertShippingMethod("standard", "Standard", 48, 5, D("4.90"), "EUR"))
    return bus, store


def priced(external_id: str, *lines: tuple[str, int, str], **extra: Any) -> oc.PlaceOrder:
    base = order_command(external_id, **extra)
    return oc.PlaceOrder(**{**base.__dict__, "lines": tuple(
        oc.LineRequest(sku, qty, D(price)) for sku, qty, price in lines)})


async def delivered(bus: MessageBus, cmd: oc.PlaceOrder) -> int:
    oid: int = (await bus.handle(cmd)).order_id
    await bus.handle(oc.ShipOrder(oid, "BRT", f"T{oid}"))
    await bus.handle(oc.DeliverOrder(oid))
    return oid


async def returned(bus: MessageBus, oid: int, *lines: tuple[str, int],
                   exchange: bool = False, warehouse: str | None = None) -> int:
    ret = await bus.handle(rc.RequestReturn(oid, "no", tuple(
        rc.ReturnLineRequest(sku, qty) for sku, qty in lines), exchange))
    await bus.handle(rc.DecideReturn(ret.return_id, "approve"))
    await bus.handle(rc.DecideReturn(ret.return_id, "receive", warehouse=warehouse))
    return int(ret.return_id)


@pytest.mark.parametrize("prices", [("0.00", "14.00"), ("14.00", "0.00")])
async def test_each_returned_unit_is_priced_from_its_own_line(
        clock: FixedClock, prices: tuple[str, str]) -> None:
    bus, store = await shop(clock)
    oid = await delivered(bus, priced("G", ("MUG-01", 1, prices[0]), ("MUG-01", 1, prices[1])))
    assert (store.orders[oid].total, store.orders[oid].paid) == (D("18.90"), D("18.90"))
    rid = await returned(bus, oid, ("MUG-01", 2))
    await bus.handle(rc.DecideReturn(rid, "refund"))
    assert store.returns[rid].refund_amount == D("14.00")
    assert store.orders[oid].refunded == D("14.00")
    assert store.orders[oid].payment_status == PaymentStatus.PARTIALLY_REFUNDED


async def test_one_unit_back_of_two_lines_refunds_the_cheaper_unit(clock: FixedClock) -> None:
    bus, store = await shop(clock)
    oid = await delivered(bus, priced("G", ("MUG-01", 1, "14.00"), ("MUG-01", 1, "0.00")))
    first = await returned(bus, oid, ("MUG-01", 1))
    second = await returned(bus, oid, ("MUG-01", 1))
    for rid in (first, second):
        await bus.handle(rc.DecideReturn(rid, "refund"))
    assert [store.returns[r].refund_amount for r in (first, second)] == [D("0.00"), D("14.00")]


async def test_refunds_never_exceed_payments(clock: FixedClock) -> None:
    bus, store = await shop(clock)
    oid = await delivered(bus, priced("L", ("MUG-01", 2, "12.50")))
    rid = await returned(bus, oid, ("MUG-01", 1))
    with pytest.raises(RefundTooLarge) as refused:
        await bus.handle(rc.DecideReturn(rid, "refund", amount=D("29.91")))
    assert refused.value.left == D("29.90")
    assert "29.90" in refused.value.message
    await bus.handle(rc.DecideReturn(rid, "refund", amount=D("10.00")))  # keeps a restocking fee
    rest = await returned(bus, oid, ("MUG-01", 1))
    await bus.handle(rc.DecideReturn(rest, "refund", amount=D("19.90")))  # the rest, with shipping
    order = store.orders[oid]
    assert (order.refunded, order.payment_status) == (D("29.90"), PaymentStatus.REFUNDED)
    assert sum(p.amount for p in store.payments if p.kind == "refund") == order.paid


async def test_an_unpaid_order_refunds_nothing(clock: FixedClock) -> None:
    bus, store = await shop(clock)
    # imported history: delivered, never paid (nothing can ship unpaid here)
    oid = (await bus.handle(priced("U", ("MUG-01", 1, "12.50"), payment_status="pending",
                                   status="delivered"))).order_id
    rid = await returned(bus, oid, ("MUG-01", 1), warehouse="MIL")
    with pytest.raises(RefundTooLarge, match="nothing left to refund"):
        await bus.handle(rc.DecideReturn(rid, "refund"))
    assert store.orders[oid].refunded == 0


async def test_payments_lead_the_payment_status(clock: FixedClock) -> None:
    bus, store = await shop(clock)
    oid = (await bus.handle(priced("P", ("MUG-01", 2, "12.50"),
                                   payment_status="pending"))).order_id
    order = store.orders[oid]
    assert (order.status, order.payment_status) == ("pending_payment", "pending")
    await bus.handle(RecordPayment(oid, D("10.00"), method="bank"))
    assert (store.orders[oid].status, store.orders[oid].payment_status) == (
        "pending_payment", "partially_paid")
    with pytest.raises(PaymentTooLarge):
        await bus.handle(RecordPayment(oid, D("19.91")))
    await bus.handle(RecordPayment(oid, D("19.90")))
    assert (store.orders[oid].status, store.orders[oid].payment_status) == ("confirmed", "paid")
    kinds = [n.kind for n in store.outbox if n.channel == "email"]
    assert kinds == ["order_awaiting_payment", "order_confirmation"]


async def test_exchange_replacement_is_free_and_refunds_only_a_difference(
        clock: FixedClock) -> None:
    bus, store = await shop(clock)
    oid = await delivered(bus, priced("X", ("MUG-01", 1, "12.50")))
    rid = await returned(bus, oid, ("MUG-01", 1), exchange=True)
    replacement = store.orders[store.returns[rid].replacement_order_id or 0]
    assert (replacement.total, replacement.shipping_total, replacement.status) == (
        D(0), D(0), "confirmed")
    await bus.handle(rc.DecideReturn(rid, "refund"))
    assert store.returns[rid].refund_amount == D(0) and store.orders[oid].refunded == 0
    other = await returned(bus, await delivered(bus, priced("Y", ("MUG-01", 1, "12.50"))),
                           ("MUG-01", 1), exchange=True)
    await bus.handle(rc.DecideReturn(other, "refund", amount=D("2.50")))  # a price difference
    assert store.returns[other].refund_amount == D("2.50")


def balances(lines: list[JournalLine]) -> dict[str, Decimal]:
    totals: dict[str, Decimal] = defaultdict(Decimal)
    for ln in lines:
        totals[ln.account] += ln.debit - ln.credit
    return dict(totals)


async def test_the_journal_books_payment_sale_refund_and_restock(clock: FixedClock) -> None:
    bus, store = await shop(clock)
    oid = await delivered(bus, priced("J", ("MUG-01", 1, "0.00"), ("MUG-01", 1, "14.00")))
    rid = await returned(bus, oid, ("MUG-01", 2))
    await bus.handle(rc.DecideReturn(rid, "refund"))
    entries: dict[str, list[JournalLine]] = defaultdict(list)
    for ln in store.journal:
        entries[ln.entry].append(ln)
    assert sorted(entries) == ["PAY-000001", "RFD-000002", "RST-000001", "SHP-000101"]
    for lines in entries.values():
        assert sum(ln.debit for ln in lines) == sum(ln.credit for ln in lines)
        assert sum(ln.debit_base or 0 for ln in lines) == sum(ln.credit_base or 0
                                                                for ln in lines)
    assert balances(store.journal) == {
        "cash": D("4.90"), "receivables": D(0), "sales": D("-14.00"),
        "shipping_income": D("-4.90"), "refunds": D("14.00"), "cogs": D(0),
        "inventory": D(0)}


async def test_vat_is_split_per_rate_and_rounded_per_currency(clock: FixedClock) -> None:
    bus, store = await shop(clock)
    await bus.handle(ic.UpsertProduct("TEA-01", "Tea", D("8.00"), "EUR", tax_rate=D(10)))
    cmd = priced("V", ("MUG-01", 1, "12.20"), ("TEA-01", 3, "8.00"))
    cmd = oc.PlaceOrder(**{**cmd.__dict__, "lines": (
        oc.LineRequest("MUG-01", 1, D("12.20"), tax_rate=D(22)),
        oc.LineRequest("TEA-01", 3, D("8.00")))})
    oid = (await bus.handle(cmd)).order_id
    order = store.orders[oid]
    assert [ln.tax_rate for ln in order.lines] == [D(22), D(10)]
    # Goods 12.20·22/122 and 24.00·10/110; the 4.90 shipping carries the goods' VAT, split
    # by their value at each rate: 4.90 · (12.20/36.20 · 22/122 + 24.00/36.20 · 10/110).
    assert order.tax_total == D("2.20") + D("2.18") + D("0.59")
    assert order.shipping_tax() == TaxSplit(D("4.31"), D("0.59"))
    assert order.total == D("36.20") + D("4.90")
    net = split([(D("24.00"), D(10))], "EUR", prices_include_tax=False)
    assert (net.net, net.tax, net.gross) == (D("24.00"), D("2.40"), D("26.40"))
    huf = split([(D("999.99"), D(27))], "HUF", prices_include_tax=True)  # ISO: 2 digits
    assert (huf.tax, huf.net) == (D("212.60"), D("787.39"))
    yen = split([(D("1000"), D(10))], "JPY", prices_include_tax=True)
    assert (yen.tax, yen.net) == (D("91"), D("909"))


async def test_prices_without_tax_add_it_to_the_total(clock: FixedClock) -> None:
    bus, store = await shop(clock, prices_include_tax=False)
    await bus.handle(ic.UpsertProduct("MUG-01", "Mug", D("10.00"), "EUR", tax_rate=D(22)))
    oid = (await bus.handle(priced("N", ("MUG-01", 3, "10.00")))).order_id
    order = store.orders[oid]
    # 22% on the goods (6.60) and on the 4.90 shipping they travel with (1.08).
    assert (order.subtotal, order.tax_total, order.total) == (D("30.00"), D("7.68"),
                                                              D("42.58"))
    assert order.paid == D("42.58")


async def test_cancelled_units_of_a_paid_order_are_refunded(clock: FixedClock) -> None:
    bus, store = await shop(clock)
    oid = (await bus.handle(priced("C", ("MUG-01", 1, "0.00"), ("MUG-01", 2, "12.50")))).order_id
    await bus.handle(oc.CancelOrder(oid, "out of budget", (oc.CancelLine("MUG-01", 1),)))
    order = store.orders[oid]
    assert (order.paid, order.refunded, order.charged) == (D("29.90"), D("12.50"), D("17.40"))
    [refund] = [ln for ln in store.journal if ln.entry.startswith("RFD-")
                and ln.account == "cash"]
    assert (refund.credit, refund.memo) == (D("12.50"), "refund of units that never shipped")
    await bus.handle(oc.CancelOrder(oid, "all of it"))
    order = store.orders[oid]
    assert (order.refunded, order.payment_status) == (D("29.90"), PaymentStatus.REFUNDED)


async def test_a_partly_paid_order_first_stops_owing_then_gets_money_back(
        clock: FixedClock) -> None:
    bus, store = await shop(clock)
    oid = (await bus.handle(priced("Q", ("MUG-01", 2, "12.50"),
                                   payment_status="pending"))).order_id
    await bus.handle(RecordPayment(oid, D("20.00")))
    await bus.handle(oc.CancelOrder(oid, "one less", (oc.CancelLine("MUG-01", 1),)))
    order = store.orders[oid]
    assert (order.refunded, order.due, order.status) == (D("2.60"), D(0), "confirmed")


async def test_shipping_carries_vat_in_the_journal_and_its_refund_reverses_it(
        clock: FixedClock) -> None:
    bus, store = await shop(clock)
    await bus.handle(ic.UpsertProduct("MUG-01", "Mug", D("12.20"), "EUR", tax_rate=D(22)))
    oid = await delivered(bus, priced("S", ("MUG-01", 1, "12.20")))
    order = store.orders[oid]
    # 12.20 goods and 4.90 shipping, both gross at 22%: 2.20 + 0.88 VAT.
    assert (order.tax_total, order.total, order.shipping_tax()) == (
        D("3.08"), D("17.10"), TaxSplit(D("4.02"), D("0.88")))
    assert balances(store.journal) == {
        "cash": D("17.10"), "receivables": D(0), "sales": D("-10.00"),
        "vat_payable": D("-3.08"), "shipping_income": D("-4.02")}
    rid = await returned(bus, oid, ("MUG-01", 1))
    await bus.handle(rc.DecideReturn(rid, "refund", amount=D("17.10")))  # goods and shipping
    [refund] = [ln for ln in store.journal if ln.entry.startswith("RFD-")
                and ln.account == "vat_payable" and "shipping" in ln.memo]
    assert refund.debit == D("0.88")
    assert balances(store.journal) == {
        "cash": D(0), "receivables": D(0), "sales": D("-10.00"), "refunds": D("10.00"),
        "vat_payable": D(0), "shipping_income": D(0)}


def test_shipping_vat_follows_the_goods_it_delivers() -> None:
    from domain.accounting.tax import shipping_split
    eur = "EUR"
    # One rate: the shipping takes it.
    assert shipping_split(D("4.90"), [(D("12.20"), D(22))], eur, True) == TaxSplit(
        D("4.02"), D("0.88"))
    # Mixed: apportioned by the goods' value at each rate (10.00 at 22%, 30.00 at 4%).
    mixed = shipping_split(D("8.00"), [(D("10.00"), D(22)), (D("30.00"), D(4))], eur, True)
    assert mixed.tax == (D("2.00") * 22 / 122 + D("6.00") * 4 / 104).quantize(D("0.01"))
    # Prices without tax: VAT on top of the net charge.
    assert shipping_split(D("5.00"), [(D("1.00"), D(10))], eur, False) == TaxSplit(
        D("5.00"), D("0.50"))
    # Only free goods: the highest of their rates; no goods rate at all: no VAT.
    assert shipping_split(D("4.90"), [(D(0), D(4)), (D(0), D(22))], eur, True).tax == D("0.88")
    assert shipping_split(D("4.90"), [(D(0), D(0))], eur, True).tax == D(0)
