"""Stock adjustments end to end on SQLite and PostgreSQL: over HTTP (+N, −N, =N, the 409
below what is reserved, the backorder queue served, the record and the journal at cost),
in the staff console and in Slack."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from sqlalchemy import select

from bot.bootstrap import Core, build_core
from domain.clock import FixedClock
from storage.orm_stock import stock_adjustments
from tests.catalog import order_json, small_shop
from tests.conftest import make_settings
from tests.e2e.slack_harness import OPERATOR, VIEWER, Shop, shop, text_of
from tests.e2e.test_api import Api, api, catalogue
from tests.e2e.test_console import omsbot
from tests.helpers import stock_state, table_counts

__all__ = ["api", "shop"]


async def test_adjustments_over_http_never_go_below_reserved(api: Api, core: Core) -> None:
    await catalogue(api, stock=5)
    status, order = await api.call("POST", "/orders", order_json(
        lines=[{"sku": "MUG-01", "quantity": 3}]))
    assert status == 201, order
    status, done = await api.call("POST", "/inventory/mug-01/adjustments",
                                  {"warehouse": "MIL", "delta": -2, "reason": "damaged"})
    assert status == 201, done
    assert (done["sku"], done["delta"], done["on_hand"], done["reserved"], done["available"],
            done["reason"], done["by"]) == ("MUG-01", -2, 3, 3, 0, "damaged",
                                            "api:test shop")
    before = await table_counts(core)
    status, refused = await api.call("POST", "/inventory/MUG-01/adjustments",
                                     {"warehouse": "MIL", "delta": -1, "reason": "lost"})
    assert (status, refused["error"]) == (409, "stock_reserved"), refused
    assert "3 on hand, 3 reserved" in refused["message"]
    assert await table_counts(core) == before  # nothing written
    status, counted = await api.call("POST", "/inventory/MUG-01/adjustments",
                                     {"warehouse": "MIL", "on_hand": 10, "reason": "stock take"})
    assert (status, counted["delta"], counted["on_hand"]) == (201, 7, 10)
    for bad in ({"warehouse": "MIL", "reason": "x"},
                {"warehouse": "MIL", "delta": 1, "on_hand": 2, "reason": "x"},
                {"warehouse": "MIL", "delta": 1.5, "reason": "x"},
                {"warehouse": "MIL", "delta": 1, "reason": ""}):
        assert (await api.call("POST", "/inventory/MUG-01/adjustments", bad))[0] == 422, bad
    assert (await api.call("POST", "/inventory/NOPE/adjustments",
                           {"warehouse": "MIL", "delta": 1, "reason": "x"}))[0] == 404
    assert ("MUG-01", "MIL", 10, 3) in await stock_state(core)
    async with core.db.read_sessions() as s:
        rows = list(await s.execute(select(stock_adjustments).order_by(stock_adjustments.c.id)))
    assert [(r.delta, r.on_hand, r.reason, r.actor, r.channel) for r in rows] == [
        (-2, 3, "damaged", "api:test shop", "api"), (7, 10, "stock take", "api:test shop",
                                                     "api")]
    # The journal books each change at cost (MUG-01 costs 4.10): shrinkage, then a gain.
    journal = [j for j in await core.views.journal(date(2026, 11, 1), date(2026, 11, 30))
               if j["entry"].startswith("ADJ-")]
    assert [(j["entry"], j["account"], j["debit"], j["credit"]) for j in journal] == [
        ("ADJ-000001", "inventory_adjustments", "8.20", "0.00"),
        ("ADJ-000001", "inventory", "0.00", "8.20"),
        ("ADJ-000002", "inventory", "28.70", "0.00"),
        ("ADJ-000002", "inventory_adjustments", "0.00", "28.70")]
    assert all(j["order"] is None for j in journal)


async def test_a_found_unit_serves_the_oldest_backorder(api: Api) -> None:
    await catalogue(api, stock=1)
    await api.call("PUT", "/products/MUG-01", {
        "name": "Mug", "price": "12.50", "currency": "EUR", "allow_backorder": True})
    one = [{"sku": "MUG-01", "quantity": 1}]
    first = (await api.call("POST", "/orders", order_json("A", lines=one)))[1]
    waiting = (await api.call("POST", "/orders", order_json("B", lines=one)))[1]
    assert (first["status"], waiting["status"]) == ("confirmed", "backordered")
    status, done = await api.call("POST", "/inventory/MUG-01/adjustments",
                                  {"warehouse": "MIL", "delta": 1, "reason": "found one"})
    assert (status, done["allocated_orders"]) == (201, [waiting["number"]])
    assert (await api.call("GET", f"/orders/{waiting['number']}"))[1]["status"] == "confirmed"


async def test_the_console_adjusts_stock(database_url: str, clock: FixedClock,
                                         tmp_path: Path) -> None:
    core = build_core(make_settings(database_url), clock=clock)
    await small_shop(core.bus, stock=4)
    await core.close()
    lines = ["adjust mug-01 MIL -1 dropped on the floor", "adjust MUG-01 MIL =9 stock take",
             "adjust MUG-01 MIL 3 oops", "adjust MUG-01 MIL -100 too many", "quit"]

    done = omsbot(["shell"], database_url, tmp_path, "\n".join(lines) + "\n")

    out = done.stdout
    assert done.returncode == 0, done.stderr
    assert ("adjusted MUG-01 at MIL by -1 (dropped on the floor): 3 available (3 on hand, "
            "0 reserved)") in out
    assert "adjusted MUG-01 at MIL by +6 (stock take): 9 available" in out
    assert "adjust SKU WAREHOUSE +N|-N|=N REASON…" in out  # `3` is no change: the usage
    assert "taking 100 away would leave -91" in out


async def test_slack_adjust_is_for_operators(shop: Shop) -> None:
    denied = await shop.ask("adjust MUG-01 MIL -2 broken", VIEWER)
    assert "needs the operator role" in text_of(denied)
    answer = await shop.ask("adjust MUG-01 MIL -2 broken", OPERATOR)
    assert answer["response_type"] == "in_channel"
    assert "adjusted MUG-01 at MIL by -2 (broken): 98 available" in text_of(answer)
    levels = await shop.core.views.inventory("MUG-01")
    assert levels is not None and levels[0]["on_hand"] == 98
