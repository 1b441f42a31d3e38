"""Reading our PDFs back as a person and a scanner would: the text, and the barcodes on a
rendered page (pypdfium2 renders, zxing-cpp decodes)."""

from __future__ import annotations

import pypdfium2 as pdfium
import zxingcpp


def pdf_pages(pdf: bytes) -> int:
    return len(pdfium.PdfDocument(pdf))


def pdf_text(pdf: bytes, page: int = 0) -> str:
    """The text of one page, whitespace collapsed."""
    document = pdfium.PdfDocument(pdf)
    text = document[page].get_textpage().get_text_range()
    return " ".join(text.split())


def page_size_in(pdf: bytes, page: int = 0) -> tuple[float, float]:
    width, height = pdfium.PdfDocument(pdf)[page].get_size()
    return round(width / 72, 2), round(height / 72, 2)


def decode_codes(pdf: bytes, page: int = 0, dpi: int = 203) -> dict[str, list[str]]:
    """Barcode format name → decoded texts on the page rendered at `dpi` (203 dpi is a
    thermal label printer)."""
    image = pdfium.PdfDocument(pdf)[page].render(scale=dpi / 72).to_pil()
    found: dict[str, list[str]] = {}
    for code in zxingcpp.read_barcodes(image):
        found.setdefault(code.format.name, []).append(code.text)
    return found
