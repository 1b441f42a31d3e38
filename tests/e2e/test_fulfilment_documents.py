"""Labels, packing slips and pick lists as PDFs: read back as text, and their barcodes
decoded from a rendered page, through the API, the console and Slack."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from bot.bootstrap import Core
from bot.slack import build_staff_service
from bot.staff import local_admin
from channels.console.shell import Console
from channels.documents.render import picklist_pdf
from channels.http.fulfilment_schemas import CarrierIn
from channels.staff_render import staff_environment
from domain.fulfillment import commands as fc
from domain.fulfillment.picking import PickRow, build_pick_lists
from tests.catalog import order_command, order_json
from tests.conftest import NOW
from tests.e2e.fulfilment_rig import POSTE, Api, api, fetch, fulfilment_shop
from tests.e2e.slack_harness import Shop, shop, text_of
from tests.pdf_reading import decode_codes, page_size_in, pdf_pages, pdf_text

__all__ = ["api", "shop"]


async def _placed(api: Api, external_id: str = "WEB-1", **extra: object) -> str:
    status, order = await api.call("POST", "/orders", order_json(external_id, lines=[
        {"sku": "MUG-01", "quantity": 2, "unit_price": "12.50"},
        {"sku": "POT-01", "quantity": 1, "unit_price": "29.00"}], **extra))
    assert status == 201, order
    return str(order["number"])


async def test_the_label_is_4x6_with_a_scannable_tracking_barcode_and_link(api: Api) -> None:
    await fulfilment_shop(api)
    number = await _placed(api)
    _, shipped = await api.call("POST", f"/orders/{number}/ship", {})
    parcel = shipped["shipments"][0]
    status, kind, pdf = await fetch(api, parcel["label_url"].removeprefix("/api/v1"))
    assert (status, kind) == (200, "application/pdf")
    assert page_size_in(pdf) == (4.0, 6.0)
    text = pdf_text(pdf)
    for expected in ("Milano Nord", "Viale Monza 120", "Ada Lovelace", "Via Roma 1",
                     "20121 Milano", "ITALY (IT)", "Poste Italiane", "Crono",
                     f"{parcel['weight_g'] / 1000:.2f} kg", "PI0000000001", number):
        assert expected in text, expected
    codes = decode_codes(pdf)
    assert codes["Code128"] == ["PI0000000001"]
    assert codes["QRCode"] == ["https://poste.example/track/PI0000000001"]
    assert (await fetch(api, "/shipments/999/label.pdf"))[0] == 404


async def test_the_packing_slip_lists_lines_in_bin_order_with_the_order_barcode(
    api: Api
) -> None:
    await fulfilment_shop(api)
    number = await _placed(api)
    status, kind, pdf = await fetch(api, f"/orders/{number}/packing-slip.pdf")
    assert (status, kind) == (200, "application/pdf")
    text = pdf_text(pdf)
    assert "Packing slip" in text and "Ada Lovelace" in text
    assert text.index("A-2-3") < text.index("POT-01") < text.index("A-10-1") \
        < text.index("MUG-01")  # walk order: bin A-2-3 before A-10-1
    assert decode_codes(pdf)["Code128"] == [number]
    assert (await fetch(api, "/orders/ORD-999999/packing-slip.pdf"))[0] == 404


async def test_pick_list_pdfs_for_every_method(api: Api) -> None:
    await fulfilment_shop(api)
    for i in range(3):
        await _placed(api, f"WEB-{i}")
    for method in ("single", "batch", "zone", "wave"):
        status, kind, pdf = await fetch(api, f"/picklists/{method}.pdf?warehouse=MIL")
        assert (status, kind) == (200, "application/pdf"), method
        text = pdf_text(pdf)
        assert f"Pick list · {method} · MIL" in text
        assert text.index("A-2-3") < text.index("A-10-1"), method
    _, _, batch = await fetch(api, "/picklists/batch.pdf?warehouse=MIL&batch_size=2")
    assert "Batch 1/2: 2 orders" in pdf_text(batch)
    assert (await fetch(api, "/picklists/random.pdf"))[0] == 422


async def test_the_console_saves_labels_and_slips_and_prints_where(
    api: Api, core: Core, tmp_path: Path
) -> None:
    await fulfilment_shop(api)
    number = await _placed(api)
    out: list[str] = []
    lines = iter([f"slip {number}", f"label {number}", "picklist wave MIL", f"ship {number}",
                  f"label {number}", "picklist wave MIL"])

    async def read(prompt: str) -> str | None:
        return next(lines, None)

    console = Console(build_staff_service(core), staff_environment(), local_admin(), read,
                      out.append, files_dir=tmp_path)
    await console.run()
    said = "\n".join(out)
    assert f"Order {number} has no label yet" in said
    assert f"PDF saved to {tmp_path / f'packing-slip-{number}.pdf'}" in said
    assert f"PDF saved to {tmp_path / f'label-{number}.pdf'}" in said
    label = (tmp_path / f"label-{number}.pdf").read_bytes()
    assert decode_codes(label)["Code128"] == ["PI0000000001"]
    assert pdf_pages((tmp_path / "picklist-wave-MIL.pdf").read_bytes()) == 1
    assert said.endswith("Nothing to pick in MIL.")  # shipped: nothing left, no file


async def _uploads(shop: Shop, count: int) -> list[Any]:
    """The files uploaded into the channel, once there are `count` (uploads follow the
    answer)."""
    for _ in range(100):
        if len(shop.slack.files("C0001")) >= count:
            break
        await asyncio.sleep(0.1)
    return list(shop.slack.files("C0001"))


async def test_slack_gets_pick_lists_and_labels_as_uploaded_pdfs(shop: Shop) -> None:
    core = shop.core
    body = CarrierIn.model_validate(POSTE)  # the same carrier, set up over the bus
    await core.bus.handle(fc.UpsertCarrier("POSTE", body.name, tuple(
        s.service() for s in body.services), body.tracking_url, body.tracking_prefix))
    placed = await core.bus.handle(order_command())
    answer = await shop.ask("picklist wave MIL")
    assert "Wave 1: 1 order" in text_of(answer)
    [picklist] = await _uploads(shop, 1)
    assert picklist.title == "Pick lists (wave)" and "MUG-01" in pdf_text(picklist.content)
    answer = await shop.ask(f"ship {placed.order_id}")
    assert "POSTE crono PI0000000001" in text_of(answer)
    answer = await shop.ask(f"label {placed.order_id}")
    assert "Shipping label of ORD-000001" in text_of(answer)
    [_, uploaded] = await _uploads(shop, 2)
    assert uploaded.title == "Shipping label ORD-000001"
    assert decode_codes(uploaded.content)["Code128"] == ["PI0000000001"]


def test_a_pick_line_for_thousands_of_orders_still_fits_its_page() -> None:
    rows = [PickRow(f"ORD-{i:06d}", NOW, "MIL", "MUG-01", "Mug", 1, "A-1-1")
            for i in range(1, 3001)]
    pdf = picklist_pdf(build_pick_lists(rows, "zone"), "zone", "MIL", NOW)
    text = pdf_text(pdf)
    assert "3000" in text and "ORD-000012 and 2988 more" in text
