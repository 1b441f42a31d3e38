"""low-stock and purchase orders on SQLite and PostgreSQL, with a controlled clock."""

from __future__ import annotations

from decimal import Decimal

import pytest

from bot.bootstrap import Core
from domain.automation.commands import ApprovePurchaseOrder
from domain.clock import FixedClock
from domain.errors import DomainError, InvalidTransition, NotFound
from domain.inventory import commands as ic
from domain.messagebus import Actor
from domain.orders import commands as oc
from storage.automation import SqlPurchaseOrderViews
from tests.catalog import order_command, small_shop
from tests.jobs_support import outbox, run


async def test_one_alert_per_crossing_and_again_after_a_recrossing(
    core: Core, clock: FixedClock
) -> None:
    await small_shop(core.bus)  # MUG-01: 100 at MIL, reorder point 5, reorder 50
    await core.bus.handle(order_command("W-1", lines=(("MUG-01", 96),)))

    first = await run(core, "low-stock")

    assert len(first.lines) == 1
    text = first.lines[0]
    assert "MUG-01 (Mug) at MIL has 4 available" in text
    assert "reorder point of 5" in text
    assert "Sold 96 in the last 30 days (3.20 a day): about 1.3 days of cover" in text
    assert "Draft purchase order PO-000001: 50 units from supplier@example.com" in text
    alerts = await outbox(core, "low_stock")
    assert len(alerts) == 1
    assert alerts[0]["channel"] == "slack" and alerts[0]["recipient"] == "staff"
    payload = alerts[0]["payload"]
    assert payload["text"] == text
    assert (payload["sku"], payload["warehouse"], payload["available"]) == ("MUG-01", "MIL", 4)
    assert payload["units_sold_30d"] == 96 and payload["days_of_cover"] == "1.3"
    assert payload["purchase_order"] == "PO-000001"

    assert (await run(core, "low-stock")).lines == ()  # no second effect
    assert len(await outbox(core, "low_stock")) == 1

    received = await core.bus.handle(ic.ReceiveStock("MUG-01", "MIL", 10))  # 14 > 5
    assert received.closed_purchase_orders == ("PO-000001",)
    rearmed = await run(core, "low-stock")
    assert len(rearmed.lines) == 1 and "above its reorder point again" in rearmed.lines[0]
    assert (await run(core, "low-stock")).lines == ()
    assert len(await outbox(core, "low_stock")) == 1

    clock.advance(hours=1)
    await core.bus.handle(order_command("W-2", lines=(("MUG-01", 10),)))  # 4 again
    second = await run(core, "low-stock")
    assert len(second.lines) == 1 and "PO-000002" in second.lines[0]
    assert len(await outbox(core, "low_stock")) == 2
    views = SqlPurchaseOrderViews(core.db)
    assert [(po["number"], po["status"]) for po in await views.purchase_orders(status="all")
            ] == [("PO-000002", "draft"), ("PO-000001", "cancelled")]


async def test_no_sales_and_no_reorder_quantity_are_said_plainly(core: Core) -> None:
    await small_shop(core.bus)
    await core.bus.handle(ic.UpsertProduct("TEA-01", "Tea", Decimal("8.00"), "EUR",
                                           reorder_point=30))  # 20 at ROM: low, no sales
    outcome = await run(core, "low-stock")
    assert len(outcome.lines) == 1
    assert "TEA-01 (Tea) at ROM has 20 available" in outcome.lines[0]
    assert "No sales in the last 30 days." in outcome.lines[0]
    assert "No purchase order drafted" in outcome.lines[0]
    assert await SqlPurchaseOrderViews(core.db).purchase_orders() == []


async def test_approved_draft_is_mailed_to_the_supplier_once(core: Core) -> None:
    await small_shop(core.bus)
    await core.bus.handle(order_command("W-1", lines=(("MUG-01", 96),)))
    await run(core, "low-stock")
    views = SqlPurchaseOrderViews(core.db)
    [draft] = await views.purchase_orders()
    assert draft["status"] == "draft" and draft["quantity"] == 50

    changed = await core.bus.handle(ApprovePurchaseOrder(draft["id"], "U42"),
                                    Actor("U42", "slack"))

    assert (changed.number, changed.status, changed.changed) == ("PO-000001", "approved", True)
    [mail] = await outbox(core, "purchase_order")
    assert mail["channel"] == "email" and mail["recipient"] == "supplier@example.com"
    assert mail["payload"]["purchase_order"] == {
        "id": 1, "number": "PO-000001", "sku": "MUG-01", "product_name": "Mug",
        "quantity": 50, "supplier_email": "supplier@example.com",
        "warehouse": {"code": "MIL", "name": "Milano", "line1": "", "city": "",
                      "postal_code": "20100", "country": "IT"}}
    again = await core.bus.handle(ApprovePurchaseOrder(draft["id"], "U42"))
    assert again.changed is False
    assert len(await outbox(core, "purchase_order")) == 1
    view = await views.purchase_order(draft["id"])
    assert view is not None and view["approved_by"] == "U42"

    received = await core.bus.handle(ic.ReceiveStock("MUG-01", "MIL", 50))
    assert received.closed_purchase_orders == ("PO-000001",)
    view = await views.purchase_order(draft["id"])
    assert view is not None and view["status"] == "received" and view["received_at"]
    with pytest.raises(InvalidTransition):
        await core.bus.handle(ApprovePurchaseOrder(draft["id"], "U42"))


async def test_a_draft_without_supplier_cannot_be_approved(core: Core) -> None:
    await small_shop(core.bus)
    await core.bus.handle(ic.UpsertProduct("TEA-01", "Tea", Decimal("8.00"), "EUR",
                                           reorder_point=30, reorder_quantity=40))
    outcome = await run(core, "low-stock")
    assert "no supplier e-mail yet" in outcome.lines[0]
    with pytest.raises(DomainError, match="no supplier e-mail"):
        await core.bus.handle(ApprovePurchaseOrder(1, "U42"))
    with pytest.raises(NotFound):
        await core.bus.handle(ApprovePurchaseOrder(99, "U42"))
    assert await outbox(core, "purchase_order") == []


async def test_cancelled_orders_do_not_count_as_sales(core: Core) -> None:
    await small_shop(core.bus)
    placed = await core.bus.handle(order_command("W-1", lines=(("MUG-01", 50),)))
    await core.bus.handle(oc.CancelOrder(placed.order_id, "changed mind"))
    await core.bus.handle(order_command("W-2", lines=(("MUG-01", 95),)))
    [line] = (await run(core, "low-stock")).lines
    assert "Sold 95 in the last 30 days" in line
