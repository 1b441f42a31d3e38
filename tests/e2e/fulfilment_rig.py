"""A small shop with carriers, boxes and bins, set up over the real HTTP API."""

from __future__ import annotations

from typing import Any

from tests.e2e.test_api import Api, api

__all__ = ["Api", "api", "fetch", "fulfilment_shop"]

POSTE = {"name": "Poste Italiane", "tracking_url": "https://poste.example/track/{tracking}",
         "tracking_prefix": "PI", "services": [{
             "code": "crono", "name": "Crono", "transit_days": 4, "volumetric_divisor": 5000,
             "per_kg_over": "0.90",
             "zones": [{"countries": ["IT"], "rates": [
                 {"max_weight_g": 1000, "price": "5.90", "currency": "EUR"},
                 {"max_weight_g": 5000, "price": "7.50", "currency": "EUR"}]}]}]}
BRT = {"name": "BRT", "tracking_url": "https://brt.example/{tracking}", "tracking_prefix": "BRT",
       "services": [{"code": "express", "name": "Express", "transit_days": 1,
                     "zones": [{"countries": ["IT"], "rates": [
                         {"max_weight_g": 20000, "price": "12.90", "currency": "EUR"}]}]}]}


async def fetch(api: Api, path: str) -> tuple[int, str, bytes]:
    """GET a document: status, content type and body."""
    resp = await api.client.get("/api/v1" + path, headers=api.headers)
    return resp.status, resp.content_type, await resp.read()


async def fulfilment_shop(api: Api) -> None:
    """MIL with boxes S and M, two products with sizes and bins, Poste and BRT."""
    calls: list[tuple[str, dict[str, Any]]] = [
        ("/warehouses/MIL", {"name": "Milano Nord", "country": "IT", "postal_code": "20126",
                             "city": "Milano", "line1": "Viale Monza 120", "priority": 1}),
        ("/products/MUG-01", {"name": "Espresso mug", "price": "12.50", "currency": "EUR",
                              "barcode": "8000000000017", "weight_g": 350, "length_mm": 120,
                              "width_mm": 90, "height_mm": 100}),
        ("/products/POT-01", {"name": "Moka pot", "price": "29.00", "currency": "EUR",
                              "weight_g": 900, "length_mm": 200, "width_mm": 150,
                              "height_mm": 220}),
        ("/carriers/POSTE", POSTE), ("/carriers/BRT", BRT),
        ("/warehouses/MIL/boxes/S", {"length_mm": 250, "width_mm": 180, "height_mm": 100,
                                     "max_weight_g": 5000, "tare_g": 120}),
        ("/warehouses/MIL/boxes/M", {"length_mm": 350, "width_mm": 250, "height_mm": 250,
                                     "max_weight_g": 12000, "tare_g": 250}),
    ]
    for path, body in calls:
        status, answer = await api.call("PUT", path, body)
        assert status in (200, 201), (path, answer)
    for sku, bin_code in (("MUG-01", "A-10-1"), ("POT-01", "A-2-3")):
        status, answer = await api.call("PUT", f"/inventory/{sku}/bins",
                                        {"warehouse": "MIL", "bin": bin_code})
        assert status == 201, answer  # a new bin
        status, answer = await api.call("POST", f"/inventory/{sku}/receive",
                                        {"warehouse": "MIL", "quantity": 50})
        assert status == 200, answer
    for code, hours, days in (("standard", 48, 5), ("express", 24, 1)):
        status, _ = await api.call("PUT", f"/shipping-methods/{code}", {
            "name": code.title(), "ship_within_hours": hours, "transit_days": days,
            "price": "4.90", "currency": "EUR"})
        assert status in (200, 201)
