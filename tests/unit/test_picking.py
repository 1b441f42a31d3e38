"""Pick lists by strategy (pure)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from domain.fulfillment.picking import PickRow, build_pick_lists, walk_key

T0 = datetime(2026, 11, 24, 8, 0, tzinfo=UTC)
ROWS = [
    PickRow("ORD-000001", T0, "MIL", "MUG-01", "Mug", 2),
    PickRow("ORD-000001", T0, "MIL", "TEA-01", "Tea", 1),
    PickRow("ORD-000002", T0 + timedelta(hours=1), "MIL", "MUG-01", "Mug", 3),
    PickRow("ORD-000003", T0 + timedelta(hours=9), "MIL", "MUG-02", "Blue mug", 1),
    PickRow("ORD-000004", T0, "ROM", "TEA-01", "Tea", 4),
]


def test_single_is_one_list_per_order_by_ship_by() -> None:
    lists = build_pick_lists(ROWS, "single")
    assert [str(g.title).split()[0] for g in lists] == [
        "ORD-000001", "ORD-000002", "ORD-000003", "ORD-000004"]
    assert [(ln.sku, ln.quantity) for ln in lists[0].lines] == [("MUG-01", 2), ("TEA-01", 1)]


def test_batch_sums_each_sku_and_names_the_orders() -> None:
    mil, rom = build_pick_lists(ROWS, "batch")
    assert (mil.warehouse, str(mil.title), mil.units) == ("MIL", "Batch of 3 orders", 7)
    mug = next(ln for ln in mil.lines if ln.sku == "MUG-01")
    assert (mug.quantity, mug.orders) == (5, ["ORD-000001", "ORD-000002"])
    assert (str(rom.title), rom.units) == ("Batch of 1 order", 4)


def test_zone_is_one_list_per_bin_zone_and_unbinned_items_come_last() -> None:
    titles = [(g.warehouse, str(g.title)) for g in build_pick_lists(ROWS, "zone")]
    assert titles == [("MIL", "No bin yet"), ("ROM", "No bin yet")]
    binned = [replace(r, bin={"MUG-01": "B-10-1", "MUG-02": "B-2-3", "TEA-01": "A-01-1"}[r.sku])
              for r in ROWS if r.warehouse == "MIL"]
    lists = build_pick_lists([*binned, PickRow("ORD-000009", T0, "MIL", "X-1", "X", 1)], "zone")
    assert [str(g.title) for g in lists] == ["Zone A", "Zone B", "No bin yet"]
    assert [ln.bin for ln in lists[1].lines] == ["B-2-3", "B-10-1"]  # natural walk order


def test_every_list_is_in_walk_order() -> None:
    rows = [PickRow(f"ORD-00000{i}", T0, "MIL", sku, sku, 1, bin_code)
            for i, (sku, bin_code) in enumerate([("Z-1", "C-01-1"), ("Y-1", "A-10-2"),
                                                 ("X-1", None), ("W-1", "A-9-1")], 1)]
    for strategy in ("batch", "zone", "wave"):
        lines = [ln for g in build_pick_lists(rows, strategy) for ln in g.lines]
        assert [ln.bin for ln in lines] == ["A-9-1", "A-10-2", "C-01-1", None], strategy
    assert walk_key("A-9-1", "a") < walk_key("A-10-1", "a") < walk_key(None, "a")


def test_batches_hold_n_orders_in_ship_by_order() -> None:
    lists = build_pick_lists([r for r in ROWS if r.warehouse == "MIL"], "batch", batch_size=2)
    assert [str(g.title) for g in lists] == ["Batch 1/2: 2 orders", "Batch 2/2: 1 order"]
    assert lists[0].orders == ["ORD-000001", "ORD-000002"]
    with pytest.raises(ValueError, match="at least one order"):
        build_pick_lists(ROWS, "batch", batch_size=0)


def test_waves_follow_four_hour_ship_by_windows() -> None:
    lists = [g for g in build_pick_lists(ROWS, "wave") if g.warehouse == "MIL"]
    assert [str(g.title) for g in lists] == [
        "Wave 1: 2 orders due from 2026-11-24 08:00 UTC",
        "Wave 2: 1 order due from 2026-11-24 17:00 UTC"]


def test_unknown_strategy_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown pick strategy"):
        build_pick_lists(ROWS, "random")
