"""Stock adjustments: a count corrected up or down (+N, −N or =N) with its reason and who
made it. Never below what is reserved: units promised to orders are not adjusted away.
New units serve the backorder queue; the journal books the change at cost."""

from __future__ import annotations

from domain.accounting.events import InventoryAdjusted
from domain.errors import PRODUCT, WAREHOUSE, DomainError, InvalidInput, NotFound
from domain.input_policy import MAX_QUANTITY
from domain.inventory import commands as c
from domain.inventory.backorders import serve_backorders
from domain.inventory.model import StockAdjustment, StockLevel
from domain.messagebus import Context
from domain.money import quantize
from domain.ports import UnitOfWork

MAX_REASON = 500


class StockReserved(DomainError):
    """An adjustment that would leave fewer units on hand than orders have reserved."""

    code = "stock_reserved"

    def __init__(self, sku: str, warehouse: str, on_hand: int, reserved: int, delta: int
                 ) -> None:
        super().__init__(
            f"{sku} at {warehouse}: {on_hand} on hand, {reserved} reserved for orders; "
            f"taking {-delta} away would leave {on_hand + delta}, below what is reserved. "
            f"At most {max(on_hand - reserved, 0)} can go"
            + (" (cancel or move orders first)." if reserved else "."))


def _check(cmd: c.AdjustStock) -> None:
    problems: list[tuple[str, str]] = []
    if cmd.mode not in c.ADJUST_MODES:
        problems.append(("mode", "write +N to add, -N to take away or =N to set the count"))
    low = 0 if cmd.mode == "=" else 1
    if not low <= cmd.quantity <= MAX_QUANTITY:
        problems.append(("quantity", f"must be a whole number from {low} to {MAX_QUANTITY:,}"))
    if not cmd.reason.strip():
        problems.append(("reason", "say why the count changes (damaged, stock take, found…)"))
    elif len(cmd.reason) > MAX_REASON:
        problems.append(("reason", f"keep it under {MAX_REASON} characters"))
    if problems:
        raise InvalidInput(problems)


async def adjust_stock(cmd: c.AdjustStock, uow: UnitOfWork, ctx: Context) -> c.StockAdjusted:
    """Apply `cmd` in one conditional update (atomic on both databases), record it and book
    it. Raises InvalidInput, NotFound (SKU or warehouse), StockReserved (409)."""
    _check(cmd)
    product = await uow.products.get(cmd.sku)
    if product is None:
        raise NotFound(PRODUCT, cmd.sku)
    if await uow.warehouses.get(cmd.warehouse) is None:
        raise NotFound(WAREHOUSE, cmd.warehouse)
    sku = product.sku
    before = await uow.stock.get(sku, cmd.warehouse) or StockLevel(sku, cmd.warehouse)
    delta = {"+": cmd.quantity, "-": -cmd.quantity,
             "=": cmd.quantity - before.on_hand}[cmd.mode]
    if delta == 0:
        raise InvalidInput([("quantity", f"{sku} at {cmd.warehouse} already has "
                                         f"{before.on_hand} on hand")])
    level = await uow.stock_adjustments.apply(
        sku, cmd.warehouse, delta, on_hand_was=before.on_hand if cmd.mode == "=" else None)
    if level is None:
        now = await uow.stock.get(sku, cmd.warehouse) or before
        raise StockReserved(sku, cmd.warehouse, now.on_hand, now.reserved, delta)
    made = StockAdjustment(sku, cmd.warehouse, delta, level.on_hand, cmd.reason.strip(),
                           ctx.actor.name, ctx.actor.channel, ctx.clock.now())
    adjustment_id = await uow.stock_adjustments.record(made)
    ctx.audit("stock.adjust", sku, warehouse=cmd.warehouse, delta=delta,
              on_hand=level.on_hand, reason=made.reason)
    if product.cost:
        ctx.emit(InventoryAdjusted(adjustment_id, sku, cmd.warehouse, delta, product.currency,
                                   made.at, quantize(product.cost * abs(delta),
                                                     product.currency)))
    allocated = await serve_backorders([sku], uow, ctx) if delta > 0 else []
    level = await uow.stock.get(sku, cmd.warehouse) or level
    return c.StockAdjusted(adjustment_id, sku, cmd.warehouse, delta, level.on_hand,
                           level.reserved, level.available, made.reason, tuple(allocated))

