"""A shop with sales in two currencies (one without a rate), refunds, a cancelled and a
replacement order, placed through the bus; the expected report is written out by hand."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

from domain.accounting.commands import SetFxRate
from domain.messagebus import MessageBus
from domain.orders import commands as oc
from domain.returns import commands as rc
from tests.catalog import order_command, small_shop

ROME = "Europe/Rome"


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 11, day, hour, minute, tzinfo=UTC)


def priced(sku: str, quantity: int, price: str, cost: str | None = None) -> oc.LineRequest:
    return oc.LineRequest(sku, quantity, Decimal(price), Decimal(cost) if cost else None)


async def place(bus: MessageBus, external_id: str, currency: str, channel: str,
                placed_at: datetime, *lines: oc.LineRequest, email: str = "ada@example.com",
                flags: tuple[str, ...] = ()) -> int:
    command = order_command(external_id, lines=(), email=email, channel=channel,
                            placed_at=placed_at, flags=flags)
    placed = await bus.handle(oc.PlaceOrder(**{**command.__dict__, "currency": currency,
                                               "lines": lines}))
    return int(placed.order_id)


async def refund_one(bus: MessageBus, order_id: int, sku: str) -> None:
    """Ship, deliver, return one unit of `sku` and refund it."""
    await bus.handle(oc.ShipOrder(order_id, "BRT", f"TRK-{order_id}"))
    await bus.handle(oc.DeliverOrder(order_id))
    ret = await bus.handle(rc.RequestReturn(order_id, "too big",
                                            (rc.ReturnLineRequest(sku, 1),)))
    for action in ("approve", "receive", "refund"):
        await bus.handle(rc.DecideReturn(ret.return_id, action))


async def sales_shop(bus: MessageBus) -> None:
    """Days are Rome days (UTC+1 in November); the base currency is EUR."""
    await small_shop(bus)
    await bus.handle(SetFxRate("USD", "0.90", date(2026, 11, 1)))
    await bus.handle(SetFxRate("USD", "0.95", date(2026, 11, 22)))
    await place(bus, "A", "EUR", "web", at(20, 10), priced("MUG-01", 2, "12.50", "4.10"))
    await place(bus, "B", "USD", "web", at(21, 9), priced("MUG-01", 1, "14.00", "5.00"),
                email="bob@example.com")
    await place(bus, "C", "GBP", "phone", at(21, 10), priced("TEA-01", 1, "10.00"),
                email="bob@example.com")
    cancelled = await place(bus, "D", "EUR", "phone", at(21, 11), priced("TEA-01", 1, "8.00"))
    await bus.handle(oc.CancelOrder(cancelled, "changed mind"))
    await place(bus, "E", "EUR", "web", at(21, 12), priced("MUG-01", 1, "0.00", "4.10"),
                flags=("replacement",))
    await place(bus, "H", "EUR", "store", at(20, 23, 30), priced("TEA-01", 1, "8.00"),
                email="cy@example.com")  # 00:30 on the 21st in Rome
    refunded = await place(bus, "F", "EUR", "web", at(22, 8), priced("MUG-01", 4, "12.50", "4.10"),
                           email="cy@example.com")
    await refund_one(bus, refunded, "MUG-01")  # 12.50 back
    await place(bus, "G", "USD", "web", at(22, 12), priced("TEA-01", 1, "10.00", "3.00"))
    await place(bus, "OUT", "EUR", "web", at(22, 23, 30), priced("TEA-01", 1, "8.00"))  # 23rd


EXPECTED = {
    "period": "2026-11-20..2026-11-22", "from": "2026-11-20", "to": "2026-11-22",
    "timezone": ROME, "title": "20 Nov 2026 – 22 Nov 2026 (Europe/Rome)", "currency": "EUR",
    "orders": 6, "revenue": "105.10", "refunds": "12.50", "net_revenue": "92.60",
    "cost": "31.95", "margin": "60.65",
    "by_channel": [
        {"channel": "web", "orders": 4, "net_revenue": "84.60", "margin": "52.65"},
        {"channel": "store", "orders": 1, "net_revenue": "8.00", "margin": "8.00"},
        {"channel": "phone", "orders": 1, "net_revenue": "0.00", "margin": "0.00"}],
    "by_day": [
        {"date": "2026-11-20", "orders": 1, "net_revenue": "25.00", "margin": "16.80"},
        {"date": "2026-11-21", "orders": 3, "net_revenue": "20.60", "margin": "16.10"},
        {"date": "2026-11-22", "orders": 2, "net_revenue": "47.00", "margin": "27.75"}],
    "not_converted": [{"currency": "GBP", "orders": 1, "amount": "10.00"}],
}
