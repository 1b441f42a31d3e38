"""Fulfilment commands of the staff grammar (`rates`, `label`, `slip`, `pack`, `scan`),
answered for the staff service; Slack and the console share them."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from channels import staff_requests as sr
from channels.staff_replies import Reply, StaffUser, order_subject
from domain.errors import DomainError, NotFound
from domain.fulfillment import commands as fc
from domain.fulfillment.queries import FulfilmentViews
from domain.orders.model import format_order_number

if TYPE_CHECKING:
    from channels.staff_service import StaffService

_Run = Callable[[Any, StaffUser], Awaitable[Reply]]


class FulfilmentDesk:
    """The fulfilment requests of one staff service."""

    def __init__(self, service: StaffService, views: FulfilmentViews | None) -> None:
        self.service = service
        self.views = views

    def runs(self) -> dict[type, _Run]:
        return {sr.ShowRates: self.rates, sr.ChooseRate: self.choose_rate}

    def _views(self) -> FulfilmentViews:
        if self.views is None:
            raise DomainError("Fulfilment is not available here")
        return self.views

    async def rates(self, request: sr.ShowRates, user: StaffUser) -> Reply:
        today = self.service.bus.clock.now().date()
        parcels = await self._views().rates(request.number, today)
        if parcels is None:
            raise NotFound("Order", format_order_number(request.number))
        return Reply("rates", {"number": format_order_number(request.number),
                               "parcels": parcels})

    async def choose_rate(self, request: sr.ChooseRate, user: StaffUser) -> Reply:
        await self.service.bus.handle(
            fc.ChooseRate(request.number, request.carrier, request.service), user.actor)
        order = await self.service.views.order(request.number)
        assert order is not None
        return Reply("rate_chosen", {"order": order, "carrier": request.carrier,
                                     "service": request.service, "by": user.mention},
                     public=True, subject=order_subject(order, user.role))
