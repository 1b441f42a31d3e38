"""The document renderers, importing reportlab on first use: `omsbot run` starts without
paying for it (about 0.3 s of CPU) until someone prints a label."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from domain.fulfillment.picking import PickGroup
from domain.fulfillment.queries import LabelData, SlipData


def label_pdf(labels: Sequence[LabelData], locale: str = "en", tz: str = "UTC") -> bytes:
    """See `channels.documents.render.label_pdf`."""
    from channels.documents import render

    return render.label_pdf(labels, locale, tz)


def slip_pdf(slips: Sequence[SlipData], locale: str = "en", tz: str = "UTC") -> bytes:
    """See `channels.documents.render.slip_pdf`."""
    from channels.documents import render

    return render.slip_pdf(slips, locale, tz)


def picklist_pdf(lists: Sequence[PickGroup], strategy: str, warehouse: str | None,
                 made: datetime, locale: str = "en", tz: str = "UTC") -> bytes:
    """See `channels.documents.render.picklist_pdf`."""
    from channels.documents import render

    return render.picklist_pdf(lists, strategy, warehouse, made, locale, tz)
