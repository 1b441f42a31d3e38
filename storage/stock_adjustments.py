"""Stock adjustments: the conditional update of a stock level and the record of it."""

from __future__ import annotations

from dataclasses import asdict

from sqlalchemy import and_, insert, update
from sqlalchemy.ext.asyncio import AsyncSession

from domain.inventory.model import StockAdjustment, StockLevel
from storage import orm, reservations
from storage.orm_stock import stock_adjustments
from storage.repositories import upsert


class SqlStockAdjustments:
    t = orm.stock_levels

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def apply(self, sku: str, warehouse: str, delta: int, *, on_hand_was: int | None
                    ) -> StockLevel | None:
        """One conditional UPDATE (`on_hand + delta >= reserved`, and `on_hand` still what
        the caller saw when given): atomic on both databases, whoever reserves at the same
        time. A missing level is inserted by a positive delta (INSERT … ON CONFLICT)."""
        await reservations.make_pending(self.session)  # this transaction's, counted first
        t = self.t
        where = [t.c.sku == sku, t.c.warehouse == warehouse, t.c.on_hand + delta >= t.c.reserved]
        if on_hand_was is not None:
            where.append(t.c.on_hand == on_hand_was)
        row = (await self.session.execute(
            update(t).where(and_(*where)).values(on_hand=t.c.on_hand + delta)
            .returning(t.c.on_hand, t.c.reserved, t.c.low_since))).first()
        if row is None and delta > 0 and on_hand_was in (None, 0):
            row = (await self.session.execute(
                upsert(self.session, t).values(sku=sku, warehouse=warehouse, on_hand=delta,
                                               reserved=0)
                .on_conflict_do_nothing(index_elements=[t.c.sku, t.c.warehouse])
                .returning(t.c.on_hand, t.c.reserved, t.c.low_since))).first()
        if row is None:
            return None
        return StockLevel(sku, warehouse, row.on_hand, row.reserved, row.low_since)

    async def record(self, adjustment: StockAdjustment) -> int:
        new_id = await self.session.scalar(
            insert(stock_adjustments).values(**asdict(adjustment))
            .returning(stock_adjustments.c.id))
        assert new_id is not None
        return int(new_id)
