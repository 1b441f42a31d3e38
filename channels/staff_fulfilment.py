"""Fulfilment commands of the staff grammar (`rates`, `label`, `slip`, `pack`, `scan`),
answered for the staff service; Slack and the console share them."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

from channels import staff_requests as sr
from channels.documents import lazy
from channels.rendering import resolve_locale, translations_for
from channels.staff_replies import Attachment, Reply, StaffUser, order_subject
from channels.texts import say
from domain.errors import ORDER, DomainError, NotFound
from domain.fulfillment import commands as fc
from domain.fulfillment.pack_session import PackProgress
from domain.fulfillment.picking import PickGroup
from domain.fulfillment.queries import FulfilmentViews
from domain.orders.model import format_order_number
from domain.texts import N_, Text

if TYPE_CHECKING:
    from channels.staff_service import StaffService

_Run = Callable[[Any, StaffUser], Awaitable[Reply]]


class FulfilmentDesk:
    """The fulfilment requests of one staff service."""

    def __init__(self, service: StaffService, views: FulfilmentViews | None) -> None:
        self.service = service
        self.views = views

    def runs(self) -> dict[type, _Run]:
        return {sr.ShowRates: self.rates, sr.ChooseRate: self.choose_rate,
                sr.ShippingLabel: self.label, sr.PackingSlip: self.slip,
                sr.StartPacking: self.pack, sr.Scan: self.scan}

    def _place(self) -> tuple[str, str]:
        """The language and time zone of documents: the staff's (OMSBOT_STAFF_LOCALE)."""
        return self.service.locale, self.service.timezone

    def _say(self, text: Text) -> str:
        return say(text, translations_for(self.service.locale),
                   resolve_locale(self.service.locale))

    def _views(self) -> FulfilmentViews:
        if self.views is None:
            raise DomainError(Text(N_("Fulfilment is not available here")))
        return self.views

    async def rates(self, request: sr.ShowRates, user: StaffUser) -> Reply:
        bus = self.service.bus
        today = bus.config.day_of(bus.clock.now())
        parcels = await self._views().rates(request.number, today)
        if parcels is None:
            raise NotFound(ORDER, format_order_number(request.number))
        return Reply("rates", {"number": format_order_number(request.number),
                               "parcels": parcels})

    async def label(self, request: sr.ShippingLabel, user: StaffUser) -> Reply:
        number = format_order_number(request.number)
        labels = await self._views().label_for_order(request.number)
        if labels is None:
            raise NotFound(ORDER, number)
        if not labels:
            raise DomainError(Text.of(
                N_("Order %(number)s has no label yet: `ship %(id)s` buys one (a hand-typed "
                   "tracking number has the carrier's own)"), number=number, id=request.number))
        title = self._say(Text.of(N_("Shipping label %(tracking)s"), tracking=number))
        return Reply("document", {"kind": "label", "number": number,
                                  "parcels": [f"{x.carrier} {x.service} {x.tracking_number}"
                                              for x in labels]},
                     attachment=Attachment(f"label-{number}.pdf", title,
                                           lambda: lazy.label_pdf(labels, *self._place()), "PDF"))

    async def slip(self, request: sr.PackingSlip, user: StaffUser) -> Reply:
        number = format_order_number(request.number)
        slips = await self._views().slip(request.number)
        if slips is None:
            raise NotFound(ORDER, number)
        if not slips:
            raise DomainError(Text.of(N_("Order %(number)s has nothing to pack"), number=number))
        return Reply("document", {"kind": "slip", "number": number,
                                  "parcels": [s.warehouse for s in slips]},
                     attachment=Attachment(
                         f"packing-slip-{number}.pdf",
                         self._say(Text.of(N_("Packing slip %(order)s"), order=number)),
                         lambda: lazy.slip_pdf(slips, *self._place()), "PDF"))

    async def pack(self, request: sr.StartPacking, user: StaffUser) -> Reply:
        progress: PackProgress = await self.service.bus.handle(
            fc.StartPacking(request.number, user.user_id), user.actor)
        return Reply("pack_progress", {"p": progress, "by": user.mention})

    async def scan(self, request: sr.Scan, user: StaffUser) -> Reply:
        progress: PackProgress = await self.service.bus.handle(
            fc.ScanItem(user.user_id, request.code), user.actor)
        return Reply("pack_progress", {"p": progress, "by": user.mention},
                     public=progress.complete)

    async def packing(self, user: StaffUser) -> str | None:
        """The order `user` is packing (a bare scanned code then means `scan CODE`)."""
        return None if self.views is None else await self.views.open_pack(user.user_id)

    async def choose_rate(self, request: sr.ChooseRate, user: StaffUser) -> Reply:
        await self.service.bus.handle(
            fc.ChooseRate(request.number, request.carrier, request.service), user.actor)
        order = await self.service.views.order(request.number)
        assert order is not None
        return Reply("rate_chosen", {"order": order, "carrier": request.carrier,
                                     "service": request.service, "by": user.mention},
                     public=True, subject=order_subject(order, user.role))


def picklist_document(lists: Sequence[PickGroup], request: sr.PickList, now: datetime,
                      locale: str, tz: str) -> Attachment | None:
    """The pick lists as a PDF to print in `locale` and `tz` (None when there is nothing to
    pick)."""
    if not lists:
        return None
    where = f"-{request.warehouse}" if request.warehouse else ""
    title = say(Text.of(N_("Pick lists (%(strategy)s)"), strategy=request.strategy),
                translations_for(locale))
    return Attachment(f"picklist-{request.strategy}{where}.pdf", title,
                      lambda: lazy.picklist_pdf(lists, request.strategy, request.warehouse,
                                                now, locale, tz), "PDF")
