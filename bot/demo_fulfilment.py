"""The demo shop's warehouse floor: two carriers (a cheap slow one, a fast one), box sizes,
product weights and sizes, and bin locations."""

from __future__ import annotations

from decimal import Decimal

from domain.fulfillment import commands as fc
from domain.fulfillment.carriers import CarrierService, RateTier, Zone
from domain.fulfillment.packing import Box
from domain.messagebus import Actor, MessageBus

_EU = ("AT", "BE", "DE", "ES", "FR", "NL", "PT", "SI", "HR", "CH")


def _tiers(*pairs: tuple[int, str]) -> tuple[RateTier, ...]:
    return tuple(RateTier(grams, Decimal(price), "EUR") for grams, price in pairs)


CARRIERS = (
    fc.UpsertCarrier(
        "POSTE", "Poste Italiane", (CarrierService(
            "crono", "Crono (3–4 days)", 4, (
                Zone(("IT",), _tiers((1000, "5.90"), (3000, "7.50"), (10000, "11.90"),
                                     (20000, "16.90"))),
                Zone(_EU, _tiers((2000, "14.90"), (10000, "24.90"))),
            ), per_kg_over=Decimal("0.90"), volumetric_divisor=5000),),
        "https://www.poste.it/cerca/index.html#/risultati-spedizioni/{tracking}", "PI"),
    fc.UpsertCarrier(
        "BRT", "BRT", (CarrierService(
            "express", "Express (next day)", 1, (
                Zone(("IT",), _tiers((1000, "9.90"), (5000, "12.90"), (20000, "19.90"))),
                Zone(_EU, _tiers((5000, "29.90"), (20000, "44.90"))),
            ), per_kg_over=Decimal("1.20"), volumetric_divisor=4000),),
        "https://vas.brt.it/vas/sped_det_show.hsm?Nspediz={tracking}", "BRT"),
)

BOXES = (
    Box("S", 250, 180, 100, 5_000, 120),
    Box("M", 350, 250, 150, 12_000, 250),
    Box("L", 500, 400, 300, 25_000, 600),
    Box("XL", 600, 500, 500, 30_000, 1_200),
)

# SKU family → (weight g, length, width, height mm, zone)
FAMILIES: dict[str, tuple[int, int, int, int, str]] = {
    "MUG": (350, 120, 90, 100, "A"), "CUP": (300, 150, 150, 80, "A"),
    "GLS": (450, 200, 120, 110, "A"), "PLT": (900, 450, 300, 40, "A"),
    "NAP": (200, 200, 150, 30, "A"), "TOT": (180, 380, 320, 20, "A"),
    "APR": (300, 300, 250, 30, "A"),
    "BEAN": (1050, 250, 120, 80, "B"), "TEA": (150, 150, 80, 50, "B"),
    "CHO": (560, 180, 120, 80, "B"), "BIS": (280, 200, 100, 60, "B"),
    "SYR": (1100, 90, 90, 320, "B"), "CND": (520, 150, 100, 60, "B"),
    "HON": (350, 80, 80, 100, "B"), "CAP": (300, 220, 110, 60, "B"),
    "FIL": (200, 180, 130, 60, "B"), "CLN": (550, 80, 80, 200, "B"),
    "POT": (900, 200, 150, 220, "C"), "GRN": (800, 220, 120, 180, "C"),
    "KET": (1000, 300, 180, 180, "C"), "SCL": (600, 200, 150, 50, "C"),
    "PRS": (700, 200, 120, 230, "C"), "SPN": (120, 150, 60, 20, "C"),
    "TMP": (450, 80, 80, 90, "C"), "MLK": (250, 120, 90, 100, "C"),
    "CAN": (400, 120, 120, 160, "C"), "COL": (800, 110, 110, 300, "C"),
    "ICE": (150, 230, 120, 40, "C"), "BRS": (80, 180, 40, 30, "C"),
    "THR": (60, 180, 50, 30, "C"), "GFT": (2200, 400, 300, 150, "D"),
    "BOOK": (1300, 310, 240, 40, "D"), "MACH": (9000, 380, 300, 380, "D"),
}
HEAVY = {"GRN-02": 2600, "MACH-02": 23000, "POT-03": 2100}


def product_size(sku: str) -> tuple[int, int, int, int]:
    """(weight g, length, width, height mm) of a demo product."""
    weight, length, width, height, _ = FAMILIES[sku.split("-")[0]]
    if sku == "MACH-02":
        return HEAVY[sku], 450, 350, 400
    return HEAVY.get(sku, weight), length, width, height


def ean13(first12: str) -> str:
    """The 12 digits with their EAN-13 check digit."""
    total = sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(first12))
    return first12 + str((10 - total % 10) % 10)


def bin_of(sku: str, index: int) -> str:
    """`A-03-2`: the family's zone, then aisle and shelf spread by catalogue position."""
    zone = FAMILIES[sku.split("-")[0]][4]
    return f"{zone}-{index // 4 + 1:02d}-{index % 4 + 1}"


async def seed_floor(bus: MessageBus, warehouses: tuple[str, ...], skus: tuple[str, ...],
                     actor: Actor) -> None:
    """Carriers, boxes in every warehouse and a bin for every product in each."""
    for carrier in CARRIERS:
        await bus.handle(carrier, actor)
    for code in warehouses:
        for box in BOXES:
            await bus.handle(fc.UpsertBox(code, box), actor)
        for index, sku in enumerate(skus):
            await bus.handle(fc.SetBin(sku, code, bin_of(sku, index)), actor)
