"""Customers are told: every new return is acknowledged with its RMA, whichever channel opened
it; an approved return says where to send the parcel."""

from __future__ import annotations

import pytest

from bot.bootstrap import Core, build_core
from domain.clock import FixedClock
from domain.messagebus import Actor
from domain.notifications import Notification
from domain.orders import commands as oc
from domain.returns import commands as rc
from storage.outbox import SqlOutboxStore
from tests.catalog import order_command, small_shop
from tests.conftest import make_settings


async def delivered(core: Core) -> int:
    await small_shop(core.bus)
    placed = await core.bus.handle(order_command())
    await core.bus.handle(oc.ShipOrder(placed.order_id, "BRT", "TRK-1", warehouse="MIL"))
    await core.bus.handle(oc.DeliverOrder(placed.order_id))
    return int(placed.order_id)


async def customer_notes(core: Core, kind: str) -> list[Notification]:
    listing = await SqlOutboxStore(core.db, core.clock).listing(limit=1000)
    return [n for n in listing if n.kind == kind and n.channel == "email"]


@pytest.mark.parametrize("channel", ["api", "telegram", "slack", "console"])
async def test_a_return_from_any_channel_is_acknowledged(core: Core, channel: str) -> None:
    order_id = await delivered(core)
    result = await core.bus.handle(rc.RequestReturn(order_id, "cracked", channel=channel),
                                   Actor("someone", channel))

    [ack] = await customer_notes(core, "return_received_request")
    assert (ack.recipient, ack.locale, ack.payload) == (
        "ada@example.com", "it", {"return_id": result.return_id, "order_id": order_id})


async def test_an_approved_return_names_the_warehouse_it_shipped_from(core: Core) -> None:
    order_id = await delivered(core)
    result = await core.bus.handle(rc.RequestReturn(order_id, "cracked"))
    await core.bus.handle(rc.DecideReturn(result.return_id, "approve"))

    [approved] = await customer_notes(core, "return_approved")
    assert approved.payload["return_address"] == ["Milano", "20100", "IT"]


async def test_an_approved_return_names_the_configured_return_address(
        database_url: str, clock: FixedClock) -> None:
    core = build_core(make_settings(
        database_url, return_address="Bottega Resi; Via del Reso 3; 20121 Milano; IT"),
        clock=clock)
    try:
        order_id = await delivered(core)
        result = await core.bus.handle(rc.RequestReturn(order_id, "cracked"))
        await core.bus.handle(rc.DecideReturn(result.return_id, "approve"))
        [approved] = await customer_notes(core, "return_approved")
        assert approved.payload["return_address"] == [
            "Bottega Resi", "Via del Reso 3", "20121 Milano", "IT"]
    finally:
        await core.close()
