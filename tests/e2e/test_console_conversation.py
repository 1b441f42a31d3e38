"""Plain words on `omsbot shell`: questions answered, changes asked about (y/n) first."""

from __future__ import annotations

from pathlib import Path

from bot.bootstrap import build_core
from domain.clock import FixedClock
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
