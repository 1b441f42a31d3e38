"""Barcodes as reportlab flowables: Code 128 (reportlab's own encoder) and QR (segno).

Both are drawn as vector rectangles with their quiet zones, sized in whole printer-friendly
module widths so a phone or a handheld scanner reads them from paper or a screen.
"""

from __future__ import annotations

import segno
from reportlab.graphics.barcode.code128 import Code128
from reportlab.lib.units import mm
from reportlab.platypus import Flowable

MIN_BAR = 0.25 * mm  # narrowest bar scanners read reliably from a thermal print
MAX_BAR = 0.5 * mm


class Code128Flowable(Flowable):  # type: ignore[misc]
    """A Code 128 barcode of `value`, centred, `height` points tall, as wide as allowed."""

    def __init__(self, value: str, height: float, max_width: float) -> None:
        super().__init__()
        self.value = value
        self.bar_height = height
        self.max_width = max_width
        probe = Code128(value, barWidth=1.0, quiet=1)
        modules = probe.width - probe.lquiet - probe.rquiet  # with barWidth 1: modules
        # ten modules of quiet zone on each side, as the standard asks
        self.bar_width = max(MIN_BAR, min(MAX_BAR, max_width / (modules + 20)))
        self.barcode = Code128(value, barWidth=self.bar_width, barHeight=height, quiet=1)
        self.width = self.barcode.width
        self.height = height

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        self.available = available_width
        return available_width, self.height

    def draw(self) -> None:
        offset = max(0.0, (self.available - self.width) / 2)
        self.barcode.drawOn(self.canv, offset, 0)


class QrFlowable(Flowable):  # type: ignore[misc]
    """A QR code (error correction M) of `value`, `size` points square with its quiet zone."""

    QUIET = 4  # modules

    def __init__(self, value: str, size: float) -> None:
        super().__init__()
        self.matrix = segno.make(value, error="m", micro=False).matrix
        self.size = size
        self.width = self.height = size

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return self.size, self.size

    def draw(self) -> None:
        count = len(self.matrix) + 2 * self.QUIET
        module = self.size / count
        canvas = self.canv
        canvas.setFillColorRGB(0, 0, 0)
        for row_index, row in enumerate(self.matrix):
            y = self.size - (row_index + self.QUIET + 1) * module
            start = None
            for col_index, dark in enumerate([*row, 0]):
                if dark and start is None:
                    start = col_index
                elif not dark and start is not None:
                    x = (start + self.QUIET) * module
                    canvas.rect(x, y, (col_index - start) * module, module, stroke=0, fill=1)
                    start = None
