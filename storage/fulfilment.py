"""Fulfilment's repository: carriers (services stored as JSON), boxes, bins."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from sqlalchemy import and_, delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from domain.fulfillment.carriers import Carrier, CarrierService, RateTier, Zone
from domain.fulfillment.pack_session import PackSession
from domain.fulfillment.packing import Box
from storage import orm
from storage.fulfilment_tables import bins, boxes, carriers, pack_sessions
from storage.repositories import upsert


def services_to_json(services: Sequence[CarrierService]) -> list[dict[str, Any]]:
    return [{
        "code": s.code, "name": s.name, "transit_days": s.transit_days,
        "per_kg_over": None if s.per_kg_over is None else str(s.per_kg_over),
        "volumetric_divisor": s.volumetric_divisor,
        "zones": [{"countries": list(z.countries),
                   "rates": [{"max_weight_g": t.max_weight_g, "price": str(t.price),
                              "currency": t.currency} for t in z.rates]} for z in s.zones],
    } for s in services]


def services_from_json(data: Sequence[dict[str, Any]]) -> list[CarrierService]:
    return [CarrierService(
        code=s["code"], name=s["name"], transit_days=int(s["transit_days"]),
        per_kg_over=None if s.get("per_kg_over") is None else Decimal(s["per_kg_over"]),
        volumetric_divisor=s.get("volumetric_divisor"),
        zones=tuple(Zone(tuple(z["countries"]), tuple(
            RateTier(int(t["max_weight_g"]), Decimal(t["price"]), t["currency"])
            for t in z["rates"])) for z in s["zones"]),
    ) for s in data]


def _carrier(row: Any) -> Carrier:
    return Carrier(row.code, row.name, services_from_json(row.services), row.tracking_url,
                   row.tracking_prefix)


class SqlFulfilment:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def carriers(self) -> list[Carrier]:
        rows = await self.session.execute(select(carriers).order_by(carriers.c.code))
        return [_carrier(r) for r in rows]

    async def carrier(self, code: str) -> Carrier | None:
        row = (await self.session.execute(select(carriers).where(
            carriers.c.code == code))).first()
        return None if row is None else _carrier(row)

    async def put_carrier(self, carrier: Carrier) -> bool:
        values = {"name": carrier.name, "tracking_url": carrier.tracking_url,
                  "tracking_prefix": carrier.tracking_prefix,
                  "services": services_to_json(carrier.services)}
        return await self._put(carriers, {"code": carrier.code}, values)

    async def _put(self, table: Any, key: dict[str, Any], values: dict[str, Any]) -> bool:
        stmt = upsert(self.session, table).values(**key, **values)
        stmt = stmt.on_conflict_do_update(index_elements=list(key), set_=values)
        exists = await self.session.scalar(select(table.c[next(iter(key))]).where(
            and_(*(table.c[k] == v for k, v in key.items()))))
        await self.session.execute(stmt)
        return exists is None

    async def next_serial(self, carrier: str) -> int:
        serial = await self.session.scalar(
            update(carriers).where(carriers.c.code == carrier)
            .values(next_serial=carriers.c.next_serial + 1)
            .returning(carriers.c.next_serial - 1))
        if serial is None:
            raise LookupError(f"no carrier {carrier}")
        return int(serial)

    async def boxes(self, warehouse: str) -> list[Box]:
        rows = await self.session.execute(select(boxes).where(boxes.c.warehouse == warehouse)
                                          .order_by(boxes.c.name))
        return [Box(r.name, r.length_mm, r.width_mm, r.height_mm, r.max_weight_g, r.tare_g)
                for r in rows]

    async def put_box(self, warehouse: str, box: Box) -> bool:
        values = {"length_mm": box.length_mm, "width_mm": box.width_mm,
                  "height_mm": box.height_mm, "max_weight_g": box.max_weight_g,
                  "tare_g": box.tare_g}
        return await self._put(boxes, {"warehouse": warehouse, "name": box.name}, values)

    async def set_bin(self, sku: str, warehouse: str, bin_code: str) -> bool:
        return await self._put(bins, {"sku": sku, "warehouse": warehouse}, {"bin": bin_code})

    async def bins(self, warehouse: str, skus: Sequence[str]) -> dict[str, str]:
        rows = await self.session.execute(select(bins.c.sku, bins.c.bin).where(
            bins.c.warehouse == warehouse, bins.c.sku.in_(list(skus))))
        return {r.sku: r.bin for r in rows}

    async def pack_session(self, user: str) -> PackSession | None:
        return await self._session(pack_sessions.c.user_id == user)

    async def pack_session_of_order(self, order_id: int) -> PackSession | None:
        return await self._session(pack_sessions.c.order_id == order_id)

    async def _session(self, where: Any) -> PackSession | None:
        row = (await self.session.execute(select(pack_sessions).where(where))).first()
        if row is None:
            return None
        return PackSession(row.user_id, row.order_id, row.order_number, dict(row.expected),
                           row.opened_at, dict(row.scanned))

    async def save_pack_session(self, session: PackSession) -> None:
        await self.session.execute(delete(pack_sessions).where(
            (pack_sessions.c.user_id == session.user)
            | (pack_sessions.c.order_id == session.order_id)))
        await self.session.execute(pack_sessions.insert().values(
            user_id=session.user, order_id=session.order_id, order_number=session.order,
            expected=session.expected, scanned=session.scanned, opened_at=session.opened_at))

    async def close_pack_session(self, user: str) -> None:
        await self.session.execute(delete(pack_sessions).where(pack_sessions.c.user_id == user))

    async def order_of_shipment(self, shipment_id: int) -> int | None:
        found = await self.session.scalar(select(orm.shipments.c.order_id).where(
            orm.shipments.c.id == shipment_id))
        return None if found is None else int(found)
