"""Pick lists by strategy (pure)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from domain.fulfillment.picking import PickRow, build_pick_lists

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
    assert [g.title.split()[0] for g in lists] == [
        "ORD-000001", "ORD-000002", "ORD-000003", "ORD-000004"]
    assert [(ln.sku, ln.quantity) for ln in lists[0].lines] == [("MUG-01", 2), ("TEA-01", 1)]


def test_batch_sums_each_sku_and_names_the_orders() -> None:
    mil, rom = build_pick_lists(ROWS, "batch")
    assert (mil.warehouse, mil.title, mil.units) == ("MIL", "Batch of 3 orders", 7)
    mug = next(ln for ln in mil.lines if ln.sku == "MUG-01")
    assert (mug.quantity, mug.orders) == (5, ["ORD-000001", "ORD-000002"])
    assert (rom.title, rom.units) == ("Batch of 1 order", 4)


def test_zone_splits_by_sku_family() -> None:
    titles = [(g.warehouse, g.title) for g in build_pick_lists(ROWS, "zone")]
    assert titles == [("MIL", "Zone MUG"), ("MIL", "Zone TEA"), ("ROM", "Zone TEA")]


def test_waves_follow_four_hour_ship_by_windows() -> None:
    lists = [g for g in build_pick_lists(ROWS, "wave") if g.warehouse == "MIL"]
    assert [g.title for g in lists] == [
        "Wave 1: 2 orders due from 2026-11-24 08:00 UTC",
        "Wave 2: 1 order due from 2026-11-24 17:00 UTC"]


def test_unknown_strategy_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown pick strategy"):
        build_pick_lists(ROWS, "random")
