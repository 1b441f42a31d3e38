"""Plain words on `omsbot shell`: questions answered, changes asked about (y/n) first."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

from bot.bootstrap import build_core
from domain.clock import FixedClock
from domain.inventory import commands as ic
from tests.catalog import order_command, small_shop
from tests.conftest import make_settings
from tests.e2e.test_console import omsbot


async def test_plain_words_change_nothing_until_y_and_follow_ups_use_the_last_order(
        database_url: str, clock: FixedClock, tmp_path: Path) -> None:
    core = build_core(make_settings(database_url), clock=clock)
    await small_shop(core.bus)
    await core.bus.handle(order_command())
    await core.close()
    lines = ["quante MUG-01 a Milano?", "please put order 1 on hold", "n",
             "what is the status of order 1", "cancel it", "y", "tell me a joke", "quit"]

    done = omsbot(["shell"], database_url, tmp_path, "\n".join(lines) + "\n")

    out = done.stdout
    assert done.returncode == 0, done.stderr
    assert "Stock of MUG-01" in out and "MIL" in out
    assert "Please confirm: put ORD-000001 on hold?" in out
    assert "Cancelled: nothing was changed." in out
    assert "ORD-000001 · confirmed" in out  # still confirmed after n
    assert "Please confirm: cancel ORD-000001?" in out
    assert "cancelled ORD-000001." in out
    assert "Sorry, I did not understand that." in out
    core = build_core(make_settings(database_url), clock=clock)
    try:
        order = await core.views.order(1)
        assert order is not None and order["status"] == "cancelled"
    finally:
        await core.close()


async def test_a_question_ends_with_its_session_and_options_are_numbered(
        database_url: str, clock: FixedClock, tmp_path: Path) -> None:
    core = build_core(make_settings(database_url), clock=clock)
    await small_shop(core.bus)
    await core.bus.handle(order_command())
    for sku, name in (("POT-01", "Moka pot, 3 cups"), ("POT-02", "Moka pot, 6 cups")):
        await core.bus.handle(ic.UpsertProduct(sku, name, Decimal("29.00"), "EUR"))
    await core.close()

    first = omsbot(["shell"], database_url, tmp_path,
                   "please hold the order\nreceive MUG-01 1.9 MIL\nquit\n")
    second = omsbot(["shell"], database_url, tmp_path,
                    "1\nhow many moka pots do we have?\n2\nquit\n")

    assert first.returncode == 0 and second.returncode == 0, first.stderr + second.stderr
    assert "Which order? Write its number, like 123." in first.stdout
    assert "1.9 is not a quantity; write a whole number like 3." in first.stdout
    assert "Usage: receive SKU QTY [WAREHOUSE]" in first.stdout
    assert "Please confirm" not in second.stdout  # "1" is order 1, not the last session's hold
    assert "ORD-000001 · confirmed" in second.stdout
    assert "  1. POT-01 · Moka pot, 3 cups\n  2. POT-02 · Moka pot, 6 cups" in second.stdout
    assert "Answer with its number." in second.stdout
    assert "Stock of POT-02" in second.stdout


async def test_a_command_shown_is_what_cancel_it_refers_to_and_forecast_answers(
        database_url: str, tmp_path: Path) -> None:
    # Placed now, not at the suite's fixed NOW: the console runs on the real clock, and
    # its forecast counts the last 7 days back from today.
    core = build_core(make_settings(database_url), clock=FixedClock(datetime.now(UTC)))
    await small_shop(core.bus)
    await core.bus.handle(order_command("WEB-1"))
    await core.bus.handle(order_command("WEB-2"))
    await core.close()
    lines = ["where is order 1", "order 2", "cancel it", "n", "forecast mug-01",
             "when will MUG-01 run out?", "quit"]

    done = omsbot(["shell"], database_url, tmp_path, "\n".join(lines) + "\n")

    out = done.stdout
    assert done.returncode == 0, done.stderr
    assert "Please confirm: cancel ORD-000002?" in out
    assert out.count("Forecast for MUG-01 Mug (reorder point 5, reorder quantity 50)") == 2
    assert "  MIL: 96 available, 0 on order · sold 4 in 30 days, 4 in the last 7" in out
