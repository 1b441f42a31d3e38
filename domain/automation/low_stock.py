"""low-stock: one alert per crossing of the reorder point, with a draft purchase order."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from domain.automation.commands import CheckLowStock, JobOutcome
from domain.automation.model import (
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
    for state in changes:
        if not state.is_low and await uow.scans.clear_low(state.sku, state.warehouse):
            ctx.audit("stock.restored", state.sku, warehouse=state.warehouse,
                      available=state.available)
            lines.append(f"{state.sku} at {state.warehouse} is above its reorder point again "
                         f"({state.available} available): the next drop alerts again")
    lows = [s for s in changes if s.is_low]
    marked = await uow.scans.mark_low([(s.sku, s.warehouse) for s in lows], now) if lows else set()
    crossed = [s for s in lows if (s.sku, s.warehouse) in marked]  # not a concurrent run's
    if crossed:
        keys = [(s.sku, s.warehouse) for s in crossed]
        sold = await uow.scans.units_sold(keys, now - timedelta(days=SALES_WINDOW_DAYS))
        orders = await _purchase_orders(crossed, uow, ctx, now)
        for state in crossed:
            key = (state.sku, state.warehouse)
            lines.append(_alert(state, sold.get(key, 0), orders.get(key), ctx, now))
    return JobOutcome(JOB, tuple(lines), more=len(changes) >= cmd.limit)


def _alert(state: StockState, units: int, po: PurchaseOrder | None, ctx: Context,
           now: datetime) -> str:
    rate = daily_rate(units)
    cover = days_of_cover(state.available, units)
    sales = (f"Sold {units} in the last {SALES_WINDOW_DAYS} days ({rate} a day): about "
             f"{cover} days of cover." if cover is not None
             else f"No sales in the last {SALES_WINDOW_DAYS} days.")
    text = (f"Low stock: {state.sku} ({state.product_name}) at {state.warehouse} has "
            f"{state.available} available, at or below its reorder point of "
            f"{state.reorder_point}. {sales} {_po_sentence(po, now)}")
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


def _po_sentence(po: PurchaseOrder | None, now: datetime) -> str:
    if po is None:
        return "No purchase order drafted: the product has no reorder quantity."
    if po.created_at != now:
        return f"Purchase order {po.number} ({po.status}, {po.quantity} units) is open."
    supplier = (f"from {po.supplier_email}" if po.supplier_email
                else "(the product has no supplier e-mail yet: set one before approving)")
    return (f"Draft purchase order {po.number}: {po.quantity} units {supplier}. "
            f"Approve it with /oms po approve {po.id}.")


async def _purchase_orders(crossed: list[StockState], uow: UnitOfWork, ctx: Context,
                           now: datetime) -> dict[tuple[str, str], PurchaseOrder]:
    """Per crossing: the open purchase order already on its way, or a new draft."""
    found = await uow.purchase_orders.open_for_many([(s.sku, s.warehouse) for s in crossed])
    drafts = [PurchaseOrder(sku=s.sku, warehouse=s.warehouse, quantity=s.reorder_quantity,
                            supplier_email=s.supplier_email, created_at=now)
              for s in crossed
              if (s.sku, s.warehouse) not in found and s.reorder_quantity > 0]
    if drafts:
        await uow.purchase_orders.add_all(drafts)
    for po in drafts:  # audited with the crossing ("stock.low", purchase_order=…)
        found[(po.sku, po.warehouse)] = po
    return found
