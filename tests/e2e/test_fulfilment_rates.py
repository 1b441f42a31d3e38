"""Carriers, boxes and rate shopping through the API and the staff grammar (both databases)."""

from __future__ import annotations

import asyncio

from bot.bootstrap import Core
from bot.slack import build_staff_service
from bot.staff import local_admin
from channels.staff_render import render_reply, staff_environment
from tests.catalog import order_json
from tests.e2e.fulfilment_rig import POSTE, Api, api, fulfilment_shop

__all__ = ["api"]


async def _order(api: Api, external_id: str, **extra: object) -> str:
    status, order = await api.call("POST", "/orders", order_json(external_id, **extra))
    assert status == 201, order
    return str(order["number"])


async def test_carriers_and_boxes_are_created_then_updated(api: Api) -> None:
    await fulfilment_shop(api)
    assert (await api.call("PUT", "/carriers/POSTE", POSTE))[0] == 200
    status, body = await api.call("PUT", "/carriers/DHL", {**POSTE, "tracking_url":
                                                           "https://dhl.example/"})
    assert status == 422 and body["fields"][0]["path"] == "tracking_url"
    status, body = await api.call("PUT", "/warehouses/NOPE/boxes/S", {
        "length_mm": 1, "width_mm": 1, "height_mm": 1, "max_weight_g": 1})
    assert status == 404
    status, body = await api.call("PUT", "/inventory/MUG-01/bins",
                                  {"warehouse": "MIL", "bin": "a 1"})
    assert status == 422


async def test_ship_without_a_carrier_buys_the_cheapest_rate_that_keeps_the_promise(
    api: Api, core: Core
) -> None:
    await fulfilment_shop(api)
    standard = await _order(api, "WEB-1")  # 2 mugs: 700 g in box S (120 g tare)
    status, shipped = await api.call("POST", f"/orders/{standard}/ship", {})
    assert status == 200, shipped
    parcel = shipped["shipments"][0]
    assert (shipped["status"], parcel["carrier"], parcel["service"], parcel["box"],
            parcel["weight_g"]) == ("shipped", "POSTE", "crono", "S", 820)
    assert parcel["tracking_number"] == "PI0000000001"
    assert parcel["eta"] == "2026-11-28"  # shipped on the 24th, four days
    assert parcel["label_url"] == f"/api/v1/shipments/{parcel['id']}/label.pdf"
    express = await _order(api, "WEB-2", shipping_method="express")
    status, shipped = await api.call("POST", f"/orders/{express}/ship", {})
    assert (shipped["shipments"][0]["carrier"], shipped["shipments"][0]["tracking_number"]) \
        == ("BRT", "BRT0000000001")
    late = await _order(api, "WEB-4")
    status, refused = await api.call("POST", f"/orders/{late}/ship", {"eta": "2026-11-23"})
    assert (status, refused["fields"][0]["path"]) == (422, "eta")  # before today
    manual = await _order(api, "WEB-3")
    status, shipped = await api.call("POST", f"/orders/{manual}/ship",
                                     {"carrier": "GLS", "tracking_number": "GLS-77"})
    assert status == 200
    assert shipped["shipments"][0] | {"id": 0} == {
        "id": 0, "warehouse": "MIL", "carrier": "GLS", "tracking_number": "GLS-77",
        "status": "shipped", "eta": "2026-12-01", "service": None, "box": None,
        "weight_g": None, "label_url": None, "items": [{"sku": "MUG-01", "quantity": 2}]}


async def test_tracking_numbers_of_a_series_are_never_handed_out_twice(api: Api) -> None:
    await fulfilment_shop(api)
    numbers = [await _order(api, f"WEB-{i}") for i in range(6)]
    answers = await asyncio.gather(*(api.call("POST", f"/orders/{n}/ship", {})
                                     for n in numbers))
    tracking = [body["shipments"][0]["tracking_number"] for _, body in answers]
    assert sorted(tracking) == [f"PI{i:010d}" for i in range(1, 7)]


async def test_a_big_order_is_split_into_parcels_each_with_its_label(api: Api) -> None:
    await fulfilment_shop(api)
    number = await _order(api, "WEB-BIG", lines=[
        {"sku": "POT-01", "quantity": 12, "unit_price": "29.00"}])  # 10.8 kg of pots
    status, shipped = await api.call("POST", f"/orders/{number}/ship", {})
    assert status == 200, shipped
    parcels = shipped["shipments"]
    assert len(parcels) >= 2 and shipped["status"] == "shipped"
    assert sum(i["quantity"] for p in parcels for i in p["items"]) == 12
    assert len({p["tracking_number"] for p in parcels}) == len(parcels)
    assert all(p["box"] in ("S", "M") and p["label_url"] for p in parcels)


async def test_staff_see_rates_cheapest_first_and_may_choose_another(
    api: Api, core: Core
) -> None:
    await fulfilment_shop(api)
    number = await _order(api, "WEB-1")
    service, user, env = build_staff_service(core), local_admin(), staff_environment()
    shown = render_reply(env, "console", await service.handle_text(f"rates {number}", user,
                                                                  prefix=""))
    lines = [ln for ln in shown.splitlines() if "crono" in ln or "express" in ln]
    assert lines[0].startswith("  * POSTE crono") and "€5.90" in lines[0].replace(" ", "")
    assert lines[1].startswith("    BRT express")
    chosen = await service.handle_text(f"rates {number} brt EXPRESS", user, prefix="")
    assert chosen.template == "rate_chosen", chosen
    shown = render_reply(env, "console", await service.handle_text(f"rates {number}", user,
                                                                  prefix=""))
    assert "  * BRT express" in shown
    shipped = render_reply(env, "console", await service.handle_text(f"ship {number}", user,
                                                                    prefix=""))
    assert "BRT express BRT0000000001" in shipped and "box S" in shipped
    refused = await service.handle_text(f"rates {number} DHL x", user, prefix="")
    assert refused.template == "error"
