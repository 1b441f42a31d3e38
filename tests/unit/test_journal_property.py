"""Random order histories through the real domain over in-memory fakes, proving the money
invariants (CONTRACT §9): every journal entry balances, refunds never exceed payments (a
cancelled order pays back what was paid), and the journal's sales less refunds equal the
goods sold less the goods refunded.

The oracle is the test's own book of the history: each line's price and rate, which units
went back (the cheapest units of a SKU first, the documented rule), what was paid. A bug
that prices a returned unit from another line of the same SKU (a 0.00 gift beside a 14.00
unit) changes a refund and fails these properties within a few dozen examples.
"""

from __future__ import annotations

import asyncio
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from domain.accounting.commands import RecordPayment
from domain.accounting.model import RefundTooLarge
from domain.accounting.tax import shipping_split, split
from domain.clock import FixedClock
from domain.inventory import commands as ic
from domain.messagebus import MessageBus
from domain.orders import commands as oc
from domain.returns import commands as rc
from tests.catalog import order_command
from tests.fakes import Store, fake_bus

D = Decimal
SKUS = {"A": D(22), "B": D(10), "C": D(0)}  # SKU → VAT percent
PRICES = [D("0.00"), D("5.00"), D("14.00"), D("19.99")]
SHIPPING = D("4.90")
EXAMPLES = 60

line_st = st.tuples(st.sampled_from(sorted(SKUS)), st.integers(1, 3), st.sampled_from(PRICES))
order_st = st.fixed_dictionaries({
    "lines": st.lists(line_st, min_size=1, max_size=4),
    "paid": st.sampled_from(["intake", "in_parts", "never"]),
    "fate": st.sampled_from(["ship", "ship", "ship", "cancel", "partial", "wait"]),
    "returns": st.lists(st.fixed_dictionaries({
        "share": st.sampled_from(["all", "one_sku", "one_unit"]),
        "exchange": st.booleans(),
        "refund": st.sampled_from(["goods", "part", "too_much"]),
    }), max_size=2),
})


@dataclass
class Book:
    """What the test knows independently of the code under test, per order."""

    lines: list[tuple[str, int, Decimal]]  # units not cancelled, per line
    returned: list[int] = field(default_factory=list)  # units back, per line
    paid: Decimal = field(default_factory=Decimal)
    refunded: Decimal = field(default_factory=Decimal)
    goods_refunded: Decimal = field(default_factory=Decimal)  # refunds of returned goods
    shipped: bool = False

    def __post_init__(self) -> None:
        self.returned = [0] * len(self.lines)
        self.ordered = list(self.lines)  # as placed: what the shipping's VAT follows
        self.lines = list(self.lines)

    def cancel_one(self, sku: str) -> Decimal:
        """One unit of `sku` cancelled before it shipped, from its newest line that has
        one (as the order counts it); its gross price."""
        i = max(i for i, ln in enumerate(self.lines) if ln[0] == sku and ln[1] > 0)
        s, q, p = self.lines[i]
        self.lines[i] = (s, q - 1, p)
        return p

    def take_back(self, sku: str, units: int) -> Decimal:
        """Units of `sku` going back, cheapest first; their gross value."""
        value = D(0)
        for i in sorted((i for i, ln in enumerate(self.lines) if ln[0] == sku),
                        key=lambda i: self.lines[i][2]):
            here = min(units, self.lines[i][1] - self.returned[i])
            self.returned[i] += here
            value += here * self.lines[i][2]
            units -= here
        assert units == 0
        return value

    def left(self) -> dict[str, int]:
        out: dict[str, int] = defaultdict(int)
        for (sku, qty, _), back in zip(self.lines, self.returned, strict=True):
            out[sku] += qty - back
        return {s: q for s, q in out.items() if q}


async def catalogue(bus: MessageBus) -> None:
    await bus.handle(ic.UpsertWarehouse("MIL", "Milano", "IT", "20100", 45.46, 9.19, 10))
    await bus.handle(ic.UpsertWarehouse("ROM", "Roma", "IT", "00100", 41.90, 12.50, 20))
    await bus.handle(ic.UpsertShippingMethod("standard", "Standard", 48, 5, SHIPPING, "EUR"))
    for sku, rate in SKUS.items():
        await bus.handle(ic.UpsertProduct(sku, sku, D("10.00"), "EUR", D("3.00"),
                                          tax_rate=rate))
    # A only in Milano, B only in Roma, C in both: orders ship in one or two parcels.
    for sku, warehouse in (("A", "MIL"), ("B", "ROM"), ("C", "MIL"), ("C", "ROM")):
        await bus.handle(ic.ReceiveStock(sku, warehouse, 500))


async def run_order(bus: MessageBus, store: Store, n: int, spec: dict[str, object],
                    books: dict[int, Book]) -> None:
    lines = [(s, q, p) for s, q, p in spec["lines"]]  # type: ignore[attr-defined]
    cmd = order_command(f"H-{n}", payment_status="pending" if spec["paid"] != "intake"
                        else "paid")
    cmd = oc.PlaceOrder(**{**cmd.__dict__, "lines": tuple(
        oc.LineRequest(s, q, p) for s, q, p in lines)})
    oid = (await bus.handle(cmd)).order_id
    book = books.setdefault(oid, Book(lines))
    total = sum((q * p for _, q, p in lines), D(0)) + SHIPPING
    book.paid = total if spec["paid"] == "intake" else D(0)
    if spec["paid"] == "in_parts" and total > 0:
        first = (total / 3).quantize(D("0.01"))
        for part in (first, total - first):
            if part > 0:
                await bus.handle(RecordPayment(oid, part))
        book.paid = total
    if spec["fate"] == "partial" and sum(q for _, q, _ in lines) > 1:
        sku = lines[-1][0]
        await bus.handle(oc.CancelOrder(oid, "one less", (oc.CancelLine(sku, 1),)))
        price = book.cancel_one(sku)
        total -= price  # what the order charges now; paid beyond it comes back
        book.refunded += max(min(price, book.paid - total), D(0))
    if spec["fate"] == "cancel" or (spec["fate"] != "wait" and book.paid < total):
        await bus.handle(oc.CancelOrder(oid, "changed"))
        book.refunded = book.paid  # nothing shipped: all that was paid goes back
        return
    if spec["fate"] == "wait":
        return
    while store.orders[oid].pending_shipments():
        await bus.handle(oc.ShipOrder(oid, "BRT", f"T{oid}-{store.orders[oid].status}"))
    await bus.handle(oc.DeliverOrder(oid))
    book.shipped = True
    for ret in spec["returns"]:  # type: ignore[attr-defined]
        await run_return(bus, store, oid, book, ret)


async def run_return(bus: MessageBus, store: Store, oid: int, book: Book,
                     ret: dict[str, object]) -> None:
    left = book.left()
    if not left:
        return
    sku = sorted(left)[0]
    wanted = {"all": left, "one_sku": {sku: left[sku]}, "one_unit": {sku: 1}}[str(ret["share"])]
    made = await bus.handle(rc.RequestReturn(oid, "random", tuple(
        rc.ReturnLineRequest(s, q) for s, q in wanted.items()), bool(ret["exchange"])))
    value = sum((book.take_back(s, q) for s, q in wanted.items()), D(0))
    for action in ("approve", "receive"):
        await bus.handle(rc.DecideReturn(made.return_id, action))
    goods = D(0) if ret["exchange"] else value
    rest = book.paid - book.refunded
    amount = {"goods": None, "part": (value / 2).quantize(D("0.01")),
              "too_much": rest + D("0.01")}[str(ret["refund"])]
    expected = goods if amount is None else amount
    if expected > rest:
        with pytest.raises(RefundTooLarge) as refused:
            await bus.handle(rc.DecideReturn(made.return_id, "refund", amount=amount))
        assert refused.value.left == rest
        return
    await bus.handle(rc.DecideReturn(made.return_id, "refund", amount=amount))
    assert store.returns[made.return_id].refund_amount == expected
    book.refunded += expected
    book.goods_refunded += expected


def check(store: Store, books: dict[int, Book]) -> None:
    entries: dict[str, list[tuple[Decimal, Decimal, Decimal, Decimal]]] = defaultdict(list)
    goods_net = D(0)  # sales credits + VAT on sales − refunds − VAT refunded
    shipping = D(0)  # shipping income and the VAT it carries, net of refunds
    for ln in store.journal:
        entries[ln.entry].append((ln.debit, ln.credit, ln.debit_base or D(0),
                                  ln.credit_base or D(0)))
        on_shipping = ln.account == "shipping_income" or (
            ln.account == "vat_payable" and "shipping" in ln.memo)
        if on_shipping:
            shipping += ln.credit - ln.debit
        elif ln.account in ("sales", "vat_payable", "refunds"):
            goods_net += ln.credit - ln.debit
    for entry, rows in entries.items():
        assert sum(r[0] for r in rows) == sum(r[1] for r in rows), entry
        assert sum(r[2] for r in rows) == sum(r[3] for r in rows), entry
    for oid, book in books.items():
        order = store.orders[oid]
        paid = sum(p.amount for p in store.payments if p.order_id == oid and p.kind == "payment")
        back = sum(p.amount for p in store.payments if p.order_id == oid and p.kind == "refund")
        assert back <= paid and order.refunded <= order.paid
        assert (order.paid, order.refunded) == (paid, back) == (book.paid, book.refunded)
    sold = sum((q * p for b in books.values() if b.shipped for _, q, p in b.lines), D(0))
    refunded = sum((b.goods_refunded for b in books.values()), D(0))
    assert goods_net == sold - refunded
    # Shipping, VAT included, is earned once per order that shipped (refunds here never
    # reach the shipping), and its VAT is the goods' rates apportioned by value.
    assert shipping == SHIPPING * sum(1 for b in books.values() if b.shipped)
    for oid, book in books.items():
        order = store.orders[oid]
        ship = shipping_split(SHIPPING, [(q * p, SKUS[s]) for s, q, p in book.ordered],
                              "EUR", True)
        assert order.tax_total == split([(q * p, SKUS[s]) for s, q, p in book.lines], "EUR",
                                        True).tax + ship.tax


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(order_st, min_size=1, max_size=4))
def test_random_histories_keep_the_books_straight(orders: list[dict[str, object]]) -> None:
    async def history() -> None:
        bus, store = fake_bus(FixedClock(datetime(2026, 11, 24, 10, 0, tzinfo=UTC)))
        await catalogue(bus)
        books: dict[int, Book] = {}
        for n, spec in enumerate(orders):
            await run_order(bus, store, n, spec, books)
        check(store, books)

    asyncio.run(history())
