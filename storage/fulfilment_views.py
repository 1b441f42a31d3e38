"""Fulfilment's read side: rates of an order's parcels, label and packing-slip data."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from sqlalchemy import select

from domain.fulfillment.carriers import Carrier
from domain.fulfillment.picking import walk_key
from domain.fulfillment.queries import Address, LabelData, SlipData, SlipLine, View
from domain.fulfillment.shipping import plan_shipment
from domain.inventory.model import Warehouse
from domain.orders import model as om
from storage import orm
from storage.engine import Database
from storage.fulfilment import SqlFulfilment
from storage.fulfilment_tables import pack_sessions
from storage.repositories import SqlProducts

# A session on an order that has since shipped, or was cancelled or held, is over: a lone
# word typed afterwards is no scan.
PACKABLE = tuple(status for status in om.STATUSES if "pack" in om.allowed_actions(status))


def _address(data: Mapping[str, Any]) -> Address:
    return Address(str(data.get("name", "")), str(data.get("line1", "")),
                   str(data.get("postal_code", "")), str(data.get("city", "")),
                   str(data.get("country", "")), str(data.get("line2", "") or ""))


def _sender(warehouse: Warehouse | None, code: str) -> Address:
    if warehouse is None:
        return Address(code, "", "", "", "")
    return Address(warehouse.name, warehouse.line1, warehouse.postal_code, warehouse.city,
                   warehouse.country)


class SqlFulfilmentViews:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def rates(self, order_id: int, today: date) -> list[View] | None:
        async with self.db.read_sessions() as s:
            order = await s.get(om.Order, order_id)
            if order is None:
                return None
            fulfilment = SqlFulfilment(s)
            carriers = await fulfilment.carriers()
            parcels: list[View] = []
            for shipment in order.pending_shipments():
                for plan in await plan_shipment(order, shipment, carriers, SqlProducts(s),
                                                fulfilment, today):
                    chosen = plan.chosen.key if plan.chosen else None
                    parcels.append({
                        "warehouse": shipment.warehouse,
                        "box": plan.parcel.box.name if plan.parcel.box else None,
                        "weight_g": plan.parcel.weight_g,
                        "items": plan.parcel.quantities(),
                        "rates": [{"carrier": r.carrier, "carrier_name": r.carrier_name,
                                   "service": r.service, "service_name": r.service_name,
                                   "price": str(r.price), "currency": r.currency,
                                   "transit_days": r.transit_days,
                                   "delivery": r.delivery.isoformat(),
                                   "meets_promise": r.meets_promise,
                                   "chargeable_g": r.chargeable_g,
                                   "chosen": r.key == chosen} for r in plan.rates],
                    })
            return parcels

    async def label(self, shipment_id: int) -> LabelData | None:
        async with self.db.read_sessions() as s:
            order_id = await s.scalar(select(orm.shipments.c.order_id).where(
                orm.shipments.c.id == shipment_id))
            if order_id is None:
                return None
            order = await s.get(om.Order, order_id)
            assert order is not None
            shipment = next(x for x in order.shipments if x.id == shipment_id)
            return await self._label(s, order, shipment)

    async def label_for_order(self, order_id: int) -> list[LabelData] | None:
        async with self.db.read_sessions() as s:
            order = await s.get(om.Order, order_id)
            if order is None:
                return None
            found = []
            for shipment in order.shipments:
                label = await self._label(s, order, shipment)
                if label is not None:
                    found.append(label)
            return found

    async def _label(self, s: Any, order: om.Order, shipment: om.Shipment) -> LabelData | None:
        if not (shipment.tracking_number and shipment.service and shipment.carrier):
            return None  # not bought here: the carrier's own label was used
        carrier: Carrier | None = await SqlFulfilment(s).carrier(shipment.carrier)
        service = carrier.service(shipment.service) if carrier else None
        warehouse = await s.get(Warehouse, shipment.warehouse)
        return LabelData(
            shipment_id=shipment.id or 0, order=order.number,
            sender=_sender(warehouse, shipment.warehouse),
            recipient=_address(order.shipping_address),
            carrier=shipment.carrier, carrier_name=carrier.name if carrier else shipment.carrier,
            service=shipment.service, service_name=service.name if service else shipment.service,
            tracking_number=shipment.tracking_number,
            tracking_link=carrier.tracking_link(shipment.tracking_number) if carrier else None,
            weight_g=shipment.weight_g or 0, box=shipment.box,
            shipped_on=shipment.shipped_at.date() if shipment.shipped_at else None)

    async def slip(self, order_id: int) -> list[SlipData] | None:
        async with self.db.read_sessions() as s:
            order = await s.get(om.Order, order_id)
            if order is None:
                return None
            live = [x for x in order.shipments if x.status != om.SHIPMENT_CANCELLED]
            shipments = order.pending_shipments() or live
            by_warehouse: dict[str, list[om.Shipment]] = {}
            for shipment in shipments:
                by_warehouse.setdefault(shipment.warehouse, []).append(shipment)
            skus = sorted({i.sku for x in shipments for i in x.items})
            products = await SqlProducts(s).get_many(skus)
            names = {ln.sku: ln.name for ln in order.lines}
            slips = []
            for code, parcels in by_warehouse.items():
                warehouse = await s.get(Warehouse, code)
                bins = await SqlFulfilment(s).bins(code, skus)
                counts: dict[str, int] = {}
                for shipment in parcels:
                    for item in shipment.items:
                        counts[item.sku] = counts.get(item.sku, 0) + item.quantity
                lines = tuple(sorted((SlipLine(
                    sku, names.get(sku, products[sku].name if sku in products else sku), n,
                    bins.get(sku), products[sku].barcode if sku in products else None)
                    for sku, n in counts.items()), key=lambda ln: walk_key(ln.bin, ln.sku)))
                slips.append(SlipData(
                    order.number, order.placed_at.date(), code,
                    warehouse.name if warehouse else code, _address(order.shipping_address),
                    order.shipping_method, lines, len(parcels)))
            return slips

    async def open_pack(self, user: str) -> str | None:
        async with self.db.read_sessions() as s:
            found = await s.scalar(select(pack_sessions.c.order_number).join(
                orm.orders, orm.orders.c.id == pack_sessions.c.order_id).where(
                pack_sessions.c.user_id == user, orm.orders.c.status.in_(PACKABLE)))
            return None if found is None else str(found)

    async def has_warehouse(self, code: str) -> bool:
        async with self.db.read_sessions() as s:
            return await s.scalar(select(orm.warehouses.c.code).where(
                orm.warehouses.c.code == code)) is not None

    async def third_party(self, warehouse: str) -> dict[str, str] | None:
        async with self.db.read_sessions() as s:
            found = await s.scalar(select(orm.warehouses.c.fulfilment).where(
                orm.warehouses.c.code == warehouse))
            return dict(found) if found else None

    async def third_party_of_shipment(self, shipment_id: int) -> dict[str, str] | None:
        async with self.db.read_sessions() as s:
            warehouse = await s.scalar(select(orm.shipments.c.warehouse).where(
                orm.shipments.c.id == shipment_id))
        return None if warehouse is None else await self.third_party(str(warehouse))
