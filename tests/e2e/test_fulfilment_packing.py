"""Scan to pack from the console, the way a USB scanner types: code and Enter."""

from __future__ import annotations

from pathlib import Path

from bot.bootstrap import Core, build_core
from bot.slack import build_staff_service
from bot.staff import local_admin
from channels.console.shell import Console
from channels.staff_render import staff_environment
from domain.clock import FixedClock
from tests.catalog import order_json
from tests.conftest import make_settings
from tests.e2e.fulfilment_rig import Api, api, fulfilment_shop

__all__ = ["api"]
MUG_BARCODE = "8000000000017"


async def _console(core: Core, lines: list[str], tmp_path: Path) -> str:
    out: list[str] = []
    feed = iter(lines)

    async def read(prompt: str) -> str | None:
        return next(feed, None)

    await Console(build_staff_service(core), staff_environment(), local_admin(), read,
                  out.append, files_dir=tmp_path).run()
    return "\n".join(out[1:])


async def test_scanning_checks_each_unit_and_refuses_wrong_or_extra_items(
    api: Api, core: Core, tmp_path: Path
) -> None:
    await fulfilment_shop(api)
    _, order = await api.call("POST", "/orders", order_json("WEB-1", lines=[
        {"sku": "MUG-01", "quantity": 2, "unit_price": "12.50"},
        {"sku": "POT-01", "quantity": 1, "unit_price": "29.00"}]))
    number = order["number"]
    said = await _console(core, [
        f"scan {MUG_BARCODE}", f"pack {number}", MUG_BARCODE, "TEA-99", f"scan {MUG_BARCODE}",
        MUG_BARCODE, "pot-01"], tmp_path)
    answers = said.split("\n")
    assert answers[0] == "Error: No order is being packed: start with `pack N`"
    assert answers[1] == f"Packing {number}: scan each of 3 units (2 × MUG-01, 1 × POT-01)."
    assert answers[2] == f"✓ MUG-01 · 1 of 3 in {number}. Still expected: 1 × MUG-01, 1 × POT-01."
    assert answers[3] == (f"Error: TEA-99 does not belong in {number}: still expected "
                          "1 × MUG-01, 1 × POT-01")
    assert answers[4].startswith("✓ MUG-01 · 2 of 3")
    assert answers[5] == (f"Error: Another MUG-01 does not belong in {number}: still "
                          "expected 1 × POT-01")
    assert answers[6].endswith(f"packed {number}: all 3 units checked.")
    _, packed = await api.call("GET", f"/orders/{number}")
    assert packed["status"] == "packed"
    assert (await _console(core, [MUG_BARCODE], tmp_path)).startswith(
        f"Unknown command {MUG_BARCODE}.")  # no session open: a bare code is not a scan


async def test_a_pack_session_survives_another_process(
    api: Api, core: Core, database_url: str, clock: FixedClock, tmp_path: Path
) -> None:
    await fulfilment_shop(api)
    _, order = await api.call("POST", "/orders", order_json("WEB-1"))  # 2 mugs
    number = order["number"]
    await _console(core, [f"pack {number}", MUG_BARCODE], tmp_path)
    other = build_core(make_settings(database_url), clock=clock)
    try:
        said = await _console(other, ["mug-01"], tmp_path)
    finally:
        await other.close()
    assert said.endswith(f"packed {number}: all 2 units checked.")


async def test_a_shipped_order_ends_its_pack_session(
    api: Api, core: Core, tmp_path: Path
) -> None:
    await fulfilment_shop(api)
    _, order = await api.call("POST", "/orders", order_json("WEB-1"))  # 2 mugs
    number = order["number"]
    await _console(core, [f"pack {number}", MUG_BARCODE], tmp_path)
    status, _ = await api.call("POST", f"/orders/{number}/ship",
                               {"carrier": "BRT", "tracking_number": "BRT1"})
    assert status == 200
    said = await _console(core, [MUG_BARCODE], tmp_path)  # a lone word is no scan any more
    assert said.startswith(f"Unknown command {MUG_BARCODE}."), said
