"""Purchase orders: staff approve a draft and it is e-mailed to the supplier."""

from __future__ import annotations

from domain.automation.commands import ApprovePurchaseOrder, PurchaseOrderChanged
from domain.automation.model import PO_DRAFT, format_po_number
from domain.errors import DomainError, NotFound
from domain.events import PurchaseOrderApproved
from domain.messagebus import Context
from domain.ports import UnitOfWork
from domain.texts import N_, Text


async def approve_purchase_order(
    cmd: ApprovePurchaseOrder, uow: UnitOfWork, ctx: Context
) -> PurchaseOrderChanged:
    po = await uow.purchase_orders.get(cmd.purchase_order_id, for_update=True)
    if po is None:
        raise NotFound(Text(N_("Purchase order")), format_po_number(cmd.purchase_order_id))
    assert po.id is not None
    product = await uow.products.get(po.sku)
    supplier = po.supplier_email or (product.supplier_email if product else None)
    if po.status == PO_DRAFT and not supplier:
        raise DomainError(Text.of(N_("%(number)s has no supplier e-mail: set the supplier_email "
                                     "of %(sku)s first, then approve it again"),
                                  number=po.number, sku=po.sku))
    if not po.approve(cmd.approved_by, ctx.clock.now()):
        return PurchaseOrderChanged(po.id, po.number, po.status, changed=False)
    assert supplier is not None
    po.supplier_email = supplier
    warehouse = await uow.warehouses.get(po.warehouse)
    where = {"code": po.warehouse, "name": warehouse.name if warehouse else po.warehouse,
             "line1": warehouse.line1 if warehouse else "",
             "city": warehouse.city if warehouse else "",
             "postal_code": warehouse.postal_code if warehouse else "",
             "country": warehouse.country if warehouse else ""}
    ctx.audit("purchase_order.approve", po.number, approved_by=cmd.approved_by,
              supplier=supplier, quantity=po.quantity)
    ctx.emit(PurchaseOrderApproved(po.id, po.number, po.sku,
                                   product.name if product else po.sku, po.quantity,
                                   supplier, where))
    return PurchaseOrderChanged(po.id, po.number, po.status)
