"""Rate shopping and the packer (pure)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from domain.errors import DomainError, InvalidInput
from domain.fulfillment.carriers import (
    Carrier,
    CarrierService,
    RateTier,
    Zone,
    choose_rate,
    rates_for,
    validate_carrier,
)
from domain.fulfillment.packing import Box, Unit, pack

D = Decimal
SLOW = CarrierService("crono", "Crono", 4, (
    Zone(("IT",), (RateTier(1000, D("5.90"), "EUR"), RateTier(3000, D("7.50"), "EUR"))),
    Zone(("*",), (RateTier(2000, D("19.00"), "EUR"),)),
), per_kg_over=D("0.90"), volumetric_divisor=5000)
FAST = CarrierService("express", "Express", 1, (
    Zone(("IT", "SM"), (RateTier(5000, D("12.90"), "EUR"),)),
), volumetric_divisor=4000)
POSTE = Carrier("POSTE", "Poste", [SLOW], "https://t.example/{tracking}", "PI")
BRT = Carrier("BRT", "BRT", [FAST], None, "BRT")
MON = date(2026, 11, 23)


def test_volumetric_weight_is_charged_when_it_is_more() -> None:
    assert SLOW.chargeable_g(500, (300, 200, 100)) == 1200  # 6,000 cm³ / 5000
    assert SLOW.chargeable_g(2500, (300, 200, 100)) == 2500
    assert SLOW.chargeable_g(500, None) == 500
    assert FAST.chargeable_g(500, (300, 200, 100)) == 1500  # divisor 4000


def test_tiers_zones_and_the_price_per_kilogram_above_the_last_tier() -> None:
    assert SLOW.price("IT", 1000) == (D("5.90"), "EUR")
    assert SLOW.price("it", 1001) == (D("7.50"), "EUR")
    assert SLOW.price("IT", 4200) == (D("7.50") + D("0.90") * 2, "EUR")  # 2 started kg
    assert SLOW.price("DE", 2000) == (D("19.00"), "EUR")  # the rest-of-world zone
    assert FAST.price("DE", 100) is None  # no zone
    assert FAST.price("IT", 5001) is None  # no per-kg price: too heavy


def test_the_cheapest_service_that_keeps_the_promise_is_chosen() -> None:
    rates = rates_for([POSTE, BRT], "IT", 800, None, MON, date(2026, 11, 28))
    assert [r.key for r in rates] == ["POSTE/crono", "BRT/express"]  # cheapest first
    assert choose_rate(rates, express=False).key == "POSTE/crono"  # type: ignore[union-attr]
    late = rates_for([POSTE, BRT], "IT", 800, None, MON, date(2026, 11, 25))
    assert [r.meets_promise for r in late] == [False, True]
    assert choose_rate(late, express=False).key == "BRT/express"  # type: ignore[union-attr]
    assert choose_rate(rates, express=True).key == "BRT/express"  # type: ignore[union-attr]
    too_late = rates_for([POSTE, BRT], "IT", 800, None, MON, MON)
    assert choose_rate(too_late, express=False).key == "BRT/express"  # type: ignore[union-attr]
    assert choose_rate([], express=False) is None


def test_carrier_configuration_is_checked() -> None:
    with pytest.raises(InvalidInput) as caught:
        validate_carrier(Carrier("X", "X", [SLOW, SLOW], "https://x.example/", "bad prefix"))
    paths = {p for p, _ in caught.value.problems}
    assert paths == {"tracking_url", "tracking_prefix", "services.1.code"}
    assert POSTE.tracking_number(42) == "PI0000000042"
    assert POSTE.tracking_link("PI1") == "https://t.example/PI1"


S = Box("S", 250, 180, 100, 5000, 120)
M = Box("M", 350, 250, 150, 12000, 250)
L = Box("L", 500, 400, 300, 25000, 600)


def test_three_items_that_fill_a_box_exactly_go_into_it() -> None:
    box = Box("exact", 90, 40, 30, 100)
    parcels = pack([Unit("X", 1, (40, 30, 30))] * 3, [box])
    assert len(parcels) == 1 and len(parcels[0].units) == 3


def test_fewest_boxes_then_the_smallest_that_holds_each_parcel() -> None:
    mugs = [Unit("MUG-01", 350, (120, 90, 100))] * 2
    parcels = pack(mugs, [L, S, M])
    assert [(p.box.name if p.box else None, p.weight_g) for p in parcels] == [("S", 820)]
    heavy = [Unit("IRON-1", 9000, (200, 150, 150))] * 3  # 27 kg: two parcels by weight
    parcels = pack(heavy, [S, M, L])
    assert [len(p.units) for p in parcels] == [2, 1]
    assert all(p.goods_g <= 25000 for p in parcels)


def test_an_item_no_box_holds_is_refused_by_name() -> None:
    with pytest.raises(DomainError, match="No box takes LONG-1"):
        pack([Unit("LONG-1", 100, (900, 10, 10))], [S, M, L])
    assert pack([], [S]) == []
    no_boxes = pack([Unit("A", 100, None), Unit("B", 50, None)], [])
    assert len(no_boxes) == 1 and no_boxes[0].weight_g == 150 and no_boxes[0].box is None


_units = st.lists(st.builds(
    Unit, st.sampled_from(["A", "B", "C"]), st.integers(0, 12000),
    st.tuples(st.integers(10, 300), st.integers(10, 250), st.integers(10, 150))),
    max_size=25)


@settings(max_examples=200, deadline=None)
@given(_units)
def test_packing_keeps_every_unit_and_every_limit(units: list[Unit]) -> None:
    parcels = pack(units, [S, M, L])
    assert sorted(u.sku for p in parcels for u in p.units) == sorted(u.sku for u in units)
    for parcel in parcels:
        assert parcel.box is not None
        assert parcel.goods_g <= parcel.box.max_weight_g
        assert parcel.volume <= parcel.box.volume
        assert all(parcel.box.holds(u.dims) for u in parcel.units)
        assert parcel.weight_g == parcel.goods_g + parcel.box.tare_g
