"""low-stock: one alert per crossing of the reorder point, with a draft purchase order."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from domain.automation.commands import CheckLowStock, JobOutcome
from domain.automation.model import (
    PO_OPEN,
    SALES_WINDOW_DAYS,
    PurchaseOrder,
    StockState,
    daily_rate,
    days_of_cover,
)
from domain.events import StaffAlertRaised
from domain.messagebus import Context
from domain.ports import UnitOfWork

JOB = "low-stock"
BUSY = "another omsbot process is running this job right now"


async def check_low_stock(cmd: CheckLowStock, uow: UnitOfWork, ctx: Context) -> JobOutcome:
    if not await uow.scans.try_lock(JOB):
        return JobOutcome(JOB, skipped=BUSY)
    now = ctx.clock.now()
    changes = await uow.scans.stock_state_changes(cmd.limit)
    lines: list[str] = []
    crossed: list[StockState] = []
    for state in changes:
        if state.is_low:
            if await uow.scans.mark_low(state.sku, state.warehouse, now):
                crossed.append(state)
        elif await uow.scans.clear_low(state.sku, state.warehouse):
            ctx.audit("stock.restored", state.sku, warehouse=state.warehouse,
                      available=state.available)
            lines.append(f"{state.sku} at {state.warehouse} is above its reorder point again "
                         f"({state.available} available): the next drop alerts again")
    if crossed:
        since = now - timedelta(days=SALES_WINDOW_DAYS)
        sold = await uow.scans.units_sold([(s.sku, s.warehouse) for s in crossed], since)
        for state in crossed:
            lines.append(await _alert(state, sold.get((state.sku, state.warehouse), 0),
                                      uow, ctx, now))
    return JobOutcome(JOB, tuple(lines), more=len(changes) >= cmd.limit)


async def _alert(state: StockState, units: int, uow: UnitOfWork, ctx: Context,
                 now: datetime) -> str:
    po, po_text = await _purchase_order(state, uow, ctx, now)
    rate = daily_rate(units)
    cover = days_of_cover(state.available, units)
    sales = (f"Sold {units} in the last {SALES_WINDOW_DAYS} days ({rate} a day): about "
             f"{cover} days of cover." if cover is not None
             else f"No sales in the last {SALES_WINDOW_DAYS} days.")
    text = (f"Low stock: {state.sku} ({state.product_name}) at {state.warehouse} has "
            f"{state.available} available, at or below its reorder point of "
            f"{state.reorder_point}. {sales} {po_text}")
    data: dict[str, Any] = {
        "sku": state.sku, "warehouse": state.warehouse, "product_name": state.product_name,
        "available": state.available, "reorder_point": state.reorder_point,
        "units_sold_30d": units, "daily_rate": str(rate),
        "days_of_cover": None if cover is None else str(cover),
        "purchase_order_id": po.id if po else None,
        "purchase_order": po.number if po else None,
        "purchase_order_status": po.status if po else None,
    }
    ctx.emit(StaffAlertRaised("low_stock", text, data,
                              dedupe_key=f"low_stock:{state.sku}:{state.warehouse}:"
                                         f"{now.isoformat()}"))
    ctx.audit("stock.low", state.sku, warehouse=state.warehouse, available=state.available,
              purchase_order=po.number if po else None)
    return text


async def _purchase_order(state: StockState, uow: UnitOfWork, ctx: Context, now: datetime
                          ) -> tuple[PurchaseOrder | None, str]:
    """The draft for this crossing (or the open one already on its way) and a sentence."""
    open_pos = [po for po in await uow.purchase_orders.open_for(state.sku, state.warehouse)
                if po.status in PO_OPEN]
    if open_pos:
        po = open_pos[0]
        return po, f"Purchase order {po.number} ({po.status}, {po.quantity} units) is open."
    if state.reorder_quantity <= 0:
        return None, "No purchase order drafted: the product has no reorder quantity."
    po = PurchaseOrder(sku=state.sku, warehouse=state.warehouse,
                       quantity=state.reorder_quantity, supplier_email=state.supplier_email,
                       created_at=now)
    await uow.purchase_orders.add(po)
    assert po.id is not None
    ctx.audit("purchase_order.draft", po.number, sku=po.sku, warehouse=po.warehouse,
              quantity=po.quantity)
    supplier = (f"from {po.supplier_email}" if po.supplier_email
                else "(the product has no supplier e-mail yet: set one before approving)")
    return po, (f"Draft purchase order {po.number}: {po.quantity} units {supplier}. "
                f"Approve it with /oms po approve {po.id}.")
