"""The read side of purchase orders (for `/oms po` and its buttons)."""

from __future__ import annotations

from typing import Protocol

from domain.queries import View


class PurchaseOrderViews(Protocol):
    async def purchase_orders(self, *, status: str | None = None, limit: int = 50
                              ) -> list[View]:
        """Newest first; `status` None means the open ones (draft and approved), "all"
        every status. Each: {id, number, sku, product_name, warehouse, quantity,
        supplier_email, status, created_at, approved_at, approved_by, received_at}."""
        ...
    async def purchase_order(self, po_id: int) -> View | None: ...
