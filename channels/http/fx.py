"""`PUT /api/v1/fx-rates/{currency}` and `GET /api/v1/fx-rates` (CONTRACT §4)."""

from __future__ import annotations

from datetime import date
from zoneinfo import ZoneInfo

from aiohttp import web
from pydantic import BaseModel, ConfigDict, Field, field_validator

from channels.http.errors import read_json
from channels.http.upserts import put_answer
from domain.accounting.commands import FxRateSet, SetFxRate
from domain.messagebus import Actor, MessageBus
from domain.money import plain
from domain.queries import ReadModel


class FxRateIn(BaseModel):
    """`{rate, date?}`: 1 CURRENCY = rate base currency from `date` (the shop's time zone;
    default today). The rate is a decimal string (a JSON number is read as written)."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)
    rate: str
    day: date | None = Field(None, alias="date")

    @field_validator("rate", mode="before")
    @classmethod
    def _rate_as_written(cls, value: object) -> str:
        if isinstance(value, bool) or not isinstance(value, (str, int, float)):
            raise ValueError('must be a decimal string such as "0.92"')
        return str(value)


async def put_fx_rate(request: web.Request, bus: MessageBus, actor: Actor,
                      timezone: str) -> web.Response:
    """201 when the currency had no rate starting that day, else 200; 422 naming `currency`
    or `rate` (or `date`) when they are not valid."""
    body = FxRateIn.model_validate(await read_json(request))
    result: FxRateSet = await bus.handle(SetFxRate(
        request.match_info["currency"], body.rate, body.day, timezone=timezone), actor)
    return put_answer(request, result.created, {
        "currency": result.currency, "rate": str(plain(result.rate)),
        "date": result.valid_from.isoformat(), "base_currency": bus.config.base_currency,
        "previous": None if result.previous is None else str(plain(result.previous)),
    })


async def get_fx_rates(views: ReadModel, now_day: date) -> web.Response:
    """`{base_currency, today, rates: [{currency, rate, date, in_force}]}`."""
    return web.json_response(await views.fx_rates(now_day))


def today_in(bus: MessageBus, timezone: str) -> date:
    """Today's date in `timezone` (the shop's, `OMSBOT_TIMEZONE`)."""
    return bus.clock.now().astimezone(ZoneInfo(timezone)).date()
