"""Order intake reads products, warehouses and shipping methods from a cache
(storage/reference.py): this process's own changes apply to the very next order, another
process's within the cache's TTL, and a rolled-back change never leaks into it."""

from __future__ import annotations

from decimal import Decimal

from bot.bootstrap import Core, build_core
from domain.clock import FixedClock
from domain.inventory import commands as ic
from storage import reference
from tests.catalog import order_command, small_shop
from tests.conftest import make_settings


async def _line_price(core: Core, external_id: str) -> str:
    result = await core.bus.handle(order_command(external_id))
    view = await core.views.order(result.order_id)
    assert view is not None
    return str(view["lines"][0]["unit_price"])


async def test_own_change_applies_to_the_next_order(core: Core) -> None:
    await small_shop(core.bus)
    assert await _line_price(core, "A") == "12.50"
    await core.bus.handle(ic.UpsertProduct("MUG-01", "Mug", Decimal("14.00"), "EUR"))
    assert await _line_price(core, "B") == "14.00"
    await core.bus.handle(ic.UpsertShippingMethod("standard", "Standard", 24, 2,
                                                  Decimal("4.90"), "EUR"))
    result = await core.bus.handle(order_command("C"))
    view = await core.views.order(result.order_id)
    assert view is not None and view["shipping_total"] == "4.90"
    assert view["promised_delivery"] == "2026-11-27"  # 24 h to ship, 2 days on the road


async def test_rolled_back_change_is_not_cached(core: Core) -> None:
    await small_shop(core.bus)
    assert await _line_price(core, "A") == "12.50"  # cached now
    await core.bus.handle(ic.UpsertProduct("MUG-01", "Mug", Decimal("99.00"), "EUR"),
                          commit=False)
    assert await _line_price(core, "B") == "12.50"


async def test_other_process_change_seen_within_the_ttl(
        core: Core, database_url: str, clock: FixedClock) -> None:
    seconds = [0.0]
    core.db.reference.clock = lambda: seconds[0]
    await small_shop(core.bus)
    assert await _line_price(core, "A") == "12.50"  # cached now
    other = build_core(make_settings(database_url), clock=clock)
    try:
        await other.bus.handle(ic.UpsertProduct("MUG-01", "Mug", Decimal("15.00"), "EUR"))
    finally:
        await other.close()
    seconds[0] = reference.TTL_SECONDS / 2
    assert await _line_price(core, "B") == "12.50"  # still within the TTL: the old price
    seconds[0] = reference.TTL_SECONDS + 0.01
    assert await _line_price(core, "C") == "15.00"
