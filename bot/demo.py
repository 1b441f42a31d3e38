"""`omsbot seed demo`: a small living shop (three warehouses, ~50 products, some orders)."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from bot.demo_fulfilment import ean13, product_size, seed_floor
from domain.inventory import commands as ic
from domain.messagebus import Actor, MessageBus
from domain.orders import commands as oc

DEMO = Actor("demo", "seed")

WAREHOUSES = (
    ic.UpsertWarehouse("MIL", "Milano Nord", "IT", "20126", 45.5086, 9.2181, 10,
                       "Milano", "Viale Monza 120"),
    ic.UpsertWarehouse("ROM", "Roma Est", "IT", "00155", 41.9005, 12.5811, 20,
                       "Roma", "Via Prenestina 450"),
    ic.UpsertWarehouse("NAP", "Napoli Porto", "IT", "80142", 40.8460, 14.2800, 30,
                       "Napoli", "Via Marina 8"),
)

# (sku, name, price, cost, reorder point, reorder quantity)
_PRODUCTS = (
    ("MUG-01", "Espresso mug, white", "12.50", "4.10", 10, 60),
    ("MUG-02", "Cappuccino mug, blue", "14.00", "4.60", 10, 60),
    ("MUG-03", "Travel mug, steel", "24.00", "9.00", 5, 30),
    ("CUP-01", "Porcelain cup and saucer", "9.90", "3.20", 10, 50),
    ("POT-01", "Moka pot, 3 cups", "29.00", "11.00", 5, 25),
    ("POT-02", "Moka pot, 6 cups", "36.00", "14.00", 5, 25),
    ("POT-03", "Teapot, cast iron", "48.00", "19.00", 3, 12),
    ("BEAN-01", "Coffee beans, Arabica 1 kg", "22.00", "10.50", 20, 100),
    ("BEAN-02", "Coffee beans, Robusta blend 1 kg", "18.00", "8.00", 20, 100),
    ("BEAN-03", "Decaf beans 500 g", "13.50", "6.20", 10, 50),
    ("TEA-01", "Green tea, sencha 100 g", "8.50", "3.00", 15, 60),
    ("TEA-02", "Black tea, assam 100 g", "7.90", "2.80", 15, 60),
    ("TEA-03", "Herbal infusion box", "11.00", "4.00", 10, 40),
    ("GRN-01", "Burr grinder, manual", "59.00", "24.00", 3, 15),
    ("GRN-02", "Burr grinder, electric", "129.00", "61.00", 2, 8),
    ("KET-01", "Gooseneck kettle", "45.00", "18.00", 4, 16),
    ("SCL-01", "Coffee scale with timer", "32.00", "12.00", 4, 20),
    ("FIL-01", "Paper filters x100", "4.50", "1.10", 30, 200),
    ("FIL-02", "Pour-over dripper, ceramic", "21.00", "7.50", 5, 25),
    ("PRS-01", "French press 1 l", "34.00", "12.50", 5, 20),
    ("SPN-01", "Espresso spoons x6", "9.00", "2.40", 10, 40),
    ("TMP-01", "Tamper 58 mm", "27.00", "9.80", 4, 16),
    ("MLK-01", "Milk jug 350 ml", "16.00", "5.60", 6, 24),
    ("CAN-01", "Storage canister 500 g", "19.00", "6.90", 6, 24),
    ("SYR-01", "Vanilla syrup 700 ml", "10.50", "4.20", 10, 40),
    ("SYR-02", "Caramel syrup 700 ml", "10.50", "4.20", 10, 40),
    ("CHO-01", "Hot chocolate 500 g", "9.80", "3.90", 10, 40),
    ("BIS-01", "Cantucci 250 g", "6.50", "2.30", 20, 80),
    ("BIS-02", "Amaretti 200 g", "5.90", "2.10", 20, 80),
    ("GFT-01", "Gift box, coffee lover", "49.00", "21.00", 3, 12),
    ("GFT-02", "Gift box, tea time", "39.00", "16.00", 3, 12),
    ("TOT-01", "Canvas tote bag", "15.00", "4.00", 5, 30),
    ("APR-01", "Barista apron", "28.00", "9.50", 3, 12),
    ("CLN-01", "Descaler 500 ml", "8.90", "2.70", 10, 40),
    ("CLN-02", "Cleaning tablets x50", "12.90", "4.10", 10, 40),
    ("BRS-01", "Group head brush", "7.50", "2.20", 6, 24),
    ("THR-01", "Milk thermometer", "11.50", "3.60", 5, 20),
    ("COL-01", "Cold brew bottle 1 l", "26.00", "9.40", 4, 16),
    ("ICE-01", "Ice cube tray, silicone", "6.90", "1.90", 6, 24),
    ("GLS-01", "Double-wall glasses x2", "18.00", "6.30", 6, 24),
    ("GLS-02", "Latte macchiato glasses x4", "22.00", "7.70", 5, 20),
    ("PLT-01", "Serving tray, walnut", "35.00", "13.00", 3, 10),
    ("NAP-01", "Linen napkins x4", "19.50", "6.80", 4, 16),
    ("CND-01", "Sugar cubes, cane 500 g", "3.90", "1.20", 20, 80),
    ("HON-01", "Acacia honey 250 g", "8.20", "3.40", 10, 40),
    ("BOOK-01", "The coffee atlas (book)", "32.00", "15.00", 2, 8),
    ("MACH-01", "Espresso machine, single boiler", "449.00", "260.00", 1, 4),
    ("MACH-02", "Espresso machine, dual boiler", "1290.00", "790.00", 1, 2),
    ("CAP-01", "Compatible capsules x50", "15.90", "6.00", 20, 100),
    ("CAP-02", "Compostable capsules x50", "17.90", "7.00", 20, 100),
)

PRODUCTS = tuple(
    ic.UpsertProduct(sku, name, Decimal(price), "EUR", Decimal(cost),
                     barcode=ean13(f"800{n:09d}"), weight_g=product_size(sku)[0],
                     length_mm=product_size(sku)[1], width_mm=product_size(sku)[2],
                     height_mm=product_size(sku)[3], reorder_point=rp, reorder_quantity=rq,
                     supplier_email="orders@supplier.example", tax_rate=Decimal(22))
    for n, (sku, name, price, cost, rp, rq) in enumerate(_PRODUCTS, 1)
)

# Priced in each currency the shop sells in: an order in another currency is refused
# rather than shipped free by accident.
METHODS = (
    ic.UpsertShippingMethod("standard", "Standard", 48, 5, prices=(
        ("EUR", Decimal("4.90")), ("USD", Decimal("5.50")), ("GBP", Decimal("4.50")))),
    ic.UpsertShippingMethod("express", "Express", 24, 1, prices=(
        ("EUR", Decimal("12.90")), ("USD", Decimal("14.50")), ("GBP", Decimal("11.90")))),
)

_CUSTOMERS = (
    ("ada@example.com", "Ada Lovelace", "it", ("Via Roma 1", "Milano", "20121", 45.4642, 9.19)),
    ("grace@example.com", "Grace Hopper", "en", ("Via Nazionale 10", "Roma", "00184",
                                                 41.9009, 12.4942)),
    ("alan@example.com", "Alan Turing", "en", ("Via Toledo 50", "Napoli", "80134", 40.8430,
                                               14.2487)),
    ("rita@example.com", "Rita Levi-Montalcini", "it", ("Corso Vittorio Emanuele 5",
                                                        "Torino", "10123", 45.0703, 7.6869)),
)


async def seed_demo(bus: MessageBus) -> int:
    """Load the demo shop; returns how many orders it placed."""
    for command in (*WAREHOUSES, *PRODUCTS, *METHODS):
        await bus.handle(command, DEMO)
    await seed_floor(bus, tuple(w.code for w in WAREHOUSES), tuple(p.sku for p in PRODUCTS),
                     DEMO)
    for i, product in enumerate(PRODUCTS):
        for w, warehouse in enumerate(WAREHOUSES):
            units = 20 + (i * 7 + w * 11) % 60
            await bus.handle(ic.ReceiveStock(product.sku, warehouse.code, units), DEMO)
    placed = 0
    now = bus.clock.now()
    for n, (email, name, locale, (line1, city, postal, lat, lon)) in enumerate(_CUSTOMERS):
        for k in range(3):
            skus = [PRODUCTS[(n * 5 + k * 3 + j) % len(PRODUCTS)].sku for j in range(1 + k % 3)]
            stage = (n + k) % 4
            result = await bus.handle(oc.PlaceOrder(
                external_id=f"DEMO-{n + 1}{k + 1}", channel=("web", "store", "phone")[k],
                currency="EUR",
                customer=oc.CustomerDetails(email, name, locale=locale),
                shipping_address={"name": name, "line1": line1, "city": city,
                                  "postal_code": postal, "country": "IT", "lat": lat,
                                  "lon": lon},
                lines=tuple(oc.LineRequest(sku, 1 + (n + k) % 2) for sku in skus),
                shipping_method="express" if k == 2 else "standard",
                payment_status="pending" if (n, k) == (3, 1) else "paid",
                flags=("vip",) if n == 0 and k == 0 else (),
                **_history(stage, now - timedelta(hours=n)),
            ), DEMO)
            placed += 1
            if stage == 1:
                await bus.handle(oc.StartPicking(result.order_id), DEMO)
    return placed


def _history(stage: int, now: datetime) -> dict[str, Any]:
    """When a demo order was placed and how far it got, so that the shop's history lies in
    the past and its first minutes are quiet: orders still to ship were placed within
    their ship-by window (no delay apologies, no unpaid expiry); shipped and delivered ones
    left before today (imported as history: no stock moves, no messages)."""
    if stage == 3:  # delivered yesterday or before, shipped three days earlier
        return {"placed_at": now - timedelta(days=5), "status": "delivered",
                "shipped_at": now - timedelta(days=4), "delivered_at": now - timedelta(days=1)}
    if stage == 2:  # on its way since yesterday or before
        return {"placed_at": now - timedelta(days=2), "status": "shipped",
                "shipped_at": now - timedelta(days=1)}
    return {"placed_at": now - timedelta(hours=1 + stage)}  # confirmed, or being picked
