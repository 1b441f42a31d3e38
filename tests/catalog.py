"""A small catalogue for tests, placed through the bus like any client would."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from domain.inventory import commands as ic
from domain.messagebus import MessageBus
from domain.orders import commands as oc


async def small_shop(bus: MessageBus, stock: int = 100) -> None:
    await bus.handle(ic.UpsertWarehouse("MIL", "Milano", "IT", "20100", 45.46, 9.19, 10))
    await bus.handle(ic.UpsertWarehouse("ROM", "Roma", "IT", "00100", 41.90, 12.50, 20))
    await bus.handle(ic.UpsertProduct("MUG-01", "Mug", Decimal("12.50"), "EUR",
                                      Decimal("4.10"), reorder_point=5, reorder_quantity=50,
                                      supplier_email="supplier@example.com"))
    await bus.handle(ic.UpsertProduct("TEA-01", "Tea", Decimal("8.00"), "EUR"))
    if stock:
        await bus.handle(ic.ReceiveStock("MUG-01", "MIL", stock))
    await bus.handle(ic.ReceiveStock("TEA-01", "ROM", 20))


def order_command(external_id: str = "WEB-1", *, lines: Any = (("MUG-01", 2),),
                  email: str = "ada@example.com", **extra: Any) -> oc.PlaceOrder:
    """A paid web order (`payment_status="pending"` for one awaiting its payment: that is
    the command's own default, an order without payment info has received nothing)."""
    extra.setdefault("payment_status", "paid")
    return oc.PlaceOrder(
        external_id=external_id, channel=extra.pop("channel", "web"), currency="EUR",
        customer=oc.CustomerDetails(email, "Ada Lovelace", locale=extra.pop("locale", "it")),
        shipping_address={"name": "Ada Lovelace", "line1": "Via Roma 1", "city": "Milano",
                          "postal_code": "20121", "country": "IT"},
        lines=tuple(oc.LineRequest(sku, qty) for sku, qty in lines),
        **extra,
    )


def order_json(external_id: str = "WEB-1001", **overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "external_id": external_id, "channel": "web", "currency": "EUR",
        "customer": {"email": "ada@example.com", "name": "Ada Lovelace", "locale": "it"},
        "shipping_address": {"name": "Ada Lovelace", "line1": "Via Roma 1", "city": "Milano",
                             "postal_code": "20121", "country": "IT"},
        "lines": [{"sku": "MUG-01", "quantity": 2, "unit_price": "12.50"}],
        "shipping_method": "standard", "payment": {"status": "paid"},
        "placed_at": "2026-11-24T10:00:00Z",
    }
    body.update(overrides)
    return body
