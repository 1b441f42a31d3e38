"""A small page-layout language in XML, rendered to PDF with reportlab's platypus.

Templates in `templates/documents/` (Jinja, autoescaped) produce it; this module turns it
into flowables. Elements:

    <document width="4in" height="6in" margin="0.2in" title="…">  the page and its margins
    <p style="body|small|tiny|big|h1|h2|mono" align="left|center|right">  a paragraph
        (reportlab paragraph markup inside: <b>, <i>, <br/>, <font>)
    <hr/>  <spacer height="3mm"/>  <pagebreak/>
    <barcode value="…" height="18mm"/>            Code 128, as wide as the frame allows
    <qr value="…" size="30mm"/>
    <row widths="60%,40%"><cell>…</cell><cell>…</cell></row>   side by side
    <table widths="18%,…" header="1"><tr><td bold="1">…</td><td check="1"/></tr></table>
                                                    a ruled table (check: a tick box)
    <group>…</group>                                kept together on one page

Lengths take `in`, `mm` or `pt` (points when bare). Text uses the Bitstream Vera fonts that
ship with reportlab, embedded, so accented names print as written.
"""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

import reportlab
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import inch, mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import (
    Flowable,
    HRFlowable,
    KeepTogether,
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from channels.documents.barcodes import Code128Flowable, QrFlowable

FONT, BOLD, MONO = "Vera", "Vera-Bold", "Courier-Bold"
_ALIGN = {"left": TA_LEFT, "center": TA_CENTER, "right": TA_RIGHT}
_SIZES = {"tiny": (6.5, 8), "small": (8, 10), "bold": (8, 10), "body": (9.5, 12),
          "big": (14, 17.5), "h1": (18, 22), "h2": (12, 15), "mono": (10, 12)}


@cache
def _fonts() -> None:
    folder = Path(reportlab.__file__).parent / "fonts"
    pdfmetrics.registerFont(TTFont(FONT, str(folder / "Vera.ttf")))
    pdfmetrics.registerFont(TTFont(BOLD, str(folder / "VeraBd.ttf")))
    pdfmetrics.registerFont(TTFont("Vera-Italic", str(folder / "VeraIt.ttf")))
    pdfmetrics.registerFont(TTFont("Vera-BoldItalic", str(folder / "VeraBI.ttf")))
    pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=BOLD, italic="Vera-Italic",
                                  boldItalic="Vera-BoldItalic")


def length(text: str | None, default: float = 0.0, whole: float = 0.0) -> float:
    """`4in`, `18mm`, `12pt`, `12` (points) or `40%` (of `whole`) → points."""
    if not text:
        return default
    text = text.strip()
    for suffix, unit in (("in", inch), ("mm", mm), ("pt", 1.0), ("%", whole / 100)):
        if text.endswith(suffix):
            return float(text[: -len(suffix)]) * unit
    return float(text)


@cache
def style(name: str, align: str = "left") -> ParagraphStyle:
    size, leading = _SIZES.get(name, _SIZES["body"])
    font = MONO if name == "mono" else BOLD if name in ("h1", "h2", "big", "bold") else FONT
    return ParagraphStyle(f"{name}-{align}", fontName=font, fontSize=size, leading=leading,
                          alignment=_ALIGN.get(align, TA_LEFT), splitLongWords=True,
                          textColor=colors.black)


def _inner(element: ET.Element) -> str:
    """The element's content as paragraph markup (its text and child tags)."""
    parts = [element.text or ""]
    for child in element:
        parts.append(ET.tostring(child, encoding="unicode"))
    return "".join(parts).strip()


class CheckBox(Flowable):  # type: ignore[misc]
    """An empty square to tick by hand."""

    SIDE = 9.0

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return self.SIDE, self.SIDE

    def draw(self) -> None:
        self.canv.setLineWidth(0.8)
        self.canv.rect(0, 0, self.SIDE, self.SIDE, stroke=1, fill=0)


def _cell(td: ET.Element, cell_style: ParagraphStyle, width: float) -> Any:
    """A table cell: a tick box, plain text when it fits on one line (drawn directly,
    many times faster than a paragraph), else a wrapping paragraph."""
    if td.get("check") == "1":
        return CheckBox()
    text = td.text or ""
    if len(td) == 0 and pdfmetrics.stringWidth(text, cell_style.fontName,
                                               cell_style.fontSize) <= width:
        return _PlainText(text, cell_style)
    return Paragraph(_inner(td), cell_style)


class _PlainText(Flowable):  # type: ignore[misc]
    """One line of text in a paragraph style, without paragraph layout."""

    def __init__(self, text: str, cell_style: ParagraphStyle) -> None:
        super().__init__()
        self.text = text
        self.style = cell_style

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        self.available = available_width
        return available_width, self.style.leading

    def draw(self) -> None:
        canvas = self.canv
        canvas.setFont(self.style.fontName, self.style.fontSize)
        y = self.style.leading - self.style.fontSize
        if self.style.alignment == TA_RIGHT:
            canvas.drawRightString(self.available, y, self.text)
        elif self.style.alignment == TA_CENTER:
            canvas.drawCentredString(self.available / 2, y, self.text)
        else:
            canvas.drawString(0, y, self.text)


class _Builder:
    def __init__(self, frame_width: float) -> None:
        self.width = frame_width
        self._make: dict[str, Callable[[ET.Element], list[Flowable]]] = {
            "p": self._p, "hr": self._hr, "spacer": self._spacer, "pagebreak": self._break,
            "barcode": self._barcode, "qr": self._qr, "row": self._row, "table": self._table,
            "group": self._group,
        }

    def flowables(self, parent: ET.Element) -> list[Flowable]:
        found: list[Flowable] = []
        for child in parent:
            make = self._make.get(child.tag)
            if make is None:
                raise ValueError(f"unknown layout element <{child.tag}>")
            found.extend(make(child))
        return found

    def _p(self, e: ET.Element) -> list[Flowable]:
        return [Paragraph(_inner(e), style(e.get("style", "body"), e.get("align", "left")))]

    def _hr(self, e: ET.Element) -> list[Flowable]:
        return [HRFlowable(width="100%", thickness=length(e.get("thickness"), 1.2),
                           color=colors.black, spaceBefore=3, spaceAfter=3)]

    def _spacer(self, e: ET.Element) -> list[Flowable]:
        return [Spacer(1, length(e.get("height"), 6))]

    def _break(self, e: ET.Element) -> list[Flowable]:
        return [PageBreak()]

    def _barcode(self, e: ET.Element) -> list[Flowable]:
        return [Code128Flowable(e.get("value", ""), length(e.get("height"), 18 * mm),
                                self.width)]

    def _qr(self, e: ET.Element) -> list[Flowable]:
        return [QrFlowable(e.get("value", ""), length(e.get("size"), 30 * mm))]

    def _group(self, e: ET.Element) -> list[Flowable]:
        return [KeepTogether(self.flowables(e))]

    def _widths(self, e: ET.Element, columns: int, width: float) -> list[float]:
        given = [length(w, whole=width) for w in e.get("widths", "").split(",") if w.strip()]
        return given if len(given) == columns else [width / columns] * columns

    def _row(self, e: ET.Element) -> list[Flowable]:
        cells = [c for c in e if c.tag == "cell"]
        widths = self._widths(e, len(cells), self.width)
        content = []
        for cell, cell_width in zip(cells, widths, strict=True):
            inner = _Builder(cell_width - 6)
            content.append(inner.flowables(cell))
        table = Table([content], colWidths=widths)
        table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), e.get("valign", "TOP").upper()),
                                   ("LEFTPADDING", (0, 0), (-1, -1), 0),
                                   ("RIGHTPADDING", (0, 0), (-1, -1), 6),
                                   ("TOPPADDING", (0, 0), (-1, -1), 0),
                                   ("BOTTOMPADDING", (0, 0), (-1, -1), 0)]))
        return [table]

    def _table(self, e: ET.Element) -> list[Flowable]:
        rows = [r for r in e if r.tag == "tr"]
        if not rows:
            return []
        header = e.get("header") == "1"
        first = [td for td in rows[0] if td.tag == "td"]
        widths = self._widths(e, len(first), self.width)
        data: list[list[Any]] = []
        for index, row in enumerate(rows):
            name = "small" if index or not header else "tiny"
            data.append([_cell(td, style("bold" if td.get("bold") == "1" and index else name,
                                         td.get("align", "left")), width - 6)
                         for td, width in zip([td for td in row if td.tag == "td"], widths,
                                              strict=False)])
        table = Table(data, colWidths=widths, repeatRows=1 if header else 0)
        commands: list[tuple[Any, ...]] = [
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"), ("ALIGN", (0, 0), (-1, -1), "CENTER"),
            ("LINEBELOW", (0, 0), (-1, -1), 0.4, colors.grey),
            ("TOPPADDING", (0, 0), (-1, -1), 3), ("BOTTOMPADDING", (0, 0), (-1, -1), 3)]
        if header:
            commands += [("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8e8e8")),
                         ("LINEBELOW", (0, 0), (-1, 0), 0.8, colors.black)]
        table.setStyle(TableStyle(commands))
        return [table]


def render_pdf(markup: str) -> bytes:
    """Layout XML (see the module docstring) → PDF bytes. Raises ValueError on an element
    this language does not have."""
    _fonts()
    root = ET.fromstring(markup)  # noqa: S314 - our own template; values are escaped
    if root.tag != "document":
        raise ValueError("layout must start with <document>")
    width, height = length(root.get("width"), 210 * mm), length(root.get("height"), 297 * mm)
    margin = length(root.get("margin"), 12 * mm)
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(buffer, pagesize=(width, height), leftMargin=margin,
                            rightMargin=margin, topMargin=margin, bottomMargin=margin,
                            title=root.get("title", ""), author="omsbot", creator="omsbot",
                            invariant=1)
    doc.build(_Builder(width - 2 * margin).flowables(root))
    return buffer.getvalue()
