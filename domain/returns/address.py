"""Where a customer sends a return: OMSBOT_RETURN_ADDRESS, else the warehouse it shipped from."""

from __future__ import annotations

import re

from domain.messagebus import DomainConfig
from domain.ports import UnitOfWork


def address_lines(text: str) -> list[str]:
    """A configured address as lines: newlines or ";" separate them."""
    return [part.strip() for part in re.split(r"[\n;]", text) if part.strip()]


async def return_address(return_id: int, order_id: int, uow: UnitOfWork,
                         config: DomainConfig) -> list[str]:
    """The address lines printed in `return_approved`; [] when none is known (the mail then
    says the shop will send the address)."""
    if config.return_address:
        return address_lines(config.return_address)
    ret = await uow.returns.get(return_id)
    order = await uow.orders.get(order_id)
    codes = [ln.warehouse for ln in (ret.lines if ret else []) if ln.warehouse]
    codes += [s.warehouse for s in (order.shipments if order else []) if s.warehouse]
    warehouse = await uow.warehouses.get(codes[0]) if codes else None
    if warehouse is None:
        return []
    city = f"{warehouse.postal_code} {warehouse.city}".strip()
    return [line for line in (warehouse.name, warehouse.line1, city, warehouse.country) if line]
