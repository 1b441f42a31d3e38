"""Money endpoints of the HTTP API: payments, return decisions (with refund amounts), the
journal, and the per-currency prices of shipping methods."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime
from decimal import Decimal
from typing import Annotated

from aiohttp import web
from pydantic import Field, field_validator

from channels.http.errors import read_json
from channels.http.schemas import AmountIn, Body
from domain.accounting.commands import RecordPayment
from domain.accounting.journal import journal_period
from domain.errors import InvalidInput, NotFound, ValidationError
from domain.messagebus import Actor, MessageBus
from domain.money import CURRENCIES, parse_amount
from domain.orders.model import parse_order_number
from domain.queries import ReadModel


class PaymentIn(Body):
    amount: AmountIn
    currency: Annotated[str, Field(pattern=r"^[A-Z]{3}$")] | None = None
    method: Annotated[str, Field(min_length=1, max_length=64)] | None = None
    reference: Annotated[str, Field(min_length=1, max_length=200)] | None = None
    at: datetime | None = None

    @field_validator("at")
    @classmethod
    def _aware(cls, value: datetime | None) -> datetime | None:
        if value is not None and value.tzinfo is None:
            raise ValueError("needs a time zone, e.g. 2026-11-24T10:00:00Z")
        return value


def shipping_prices(prices: Mapping[str, AmountIn]) -> tuple[tuple[str, Decimal], ...]:
    """{"EUR": "4.90", …} → (("EUR", Decimal("4.90")), …), each checked against its
    currency's ISO 4217 digits; 422 naming `prices.CUR` when one is not."""
    problems: list[tuple[str, str]] = []
    parsed: list[tuple[str, Decimal]] = []
    for currency, value in prices.items():
        path = f"prices.{currency}"
        if currency not in CURRENCIES:
            problems.append((path, f"{currency!r} is not an ISO 4217 currency code"))
            continue
        try:
            parsed.append((currency, parse_amount(
                str(value) if isinstance(value, float) else value, currency, path)))
        except ValidationError as exc:
            problems.append((path, exc.reason))
    if problems:
        raise InvalidInput(problems)
    return tuple(parsed)


async def refund_amount(value: AmountIn | None, return_id: int, views: ReadModel
                        ) -> Decimal | None:
    """The `amount` of `refund {amount}` as a decimal in the return's currency (checked
    against its ISO 4217 digits); None when none was given."""
    if value is None:
        return None
    ret = await views.return_(return_id)
    if ret is None:
        raise NotFound("Return", return_id)
    return parse_amount(str(value) if isinstance(value, float) else value,
                        str(ret["currency"]), "amount")


def register_money_routes(api: web.Application, bus: MessageBus, views: ReadModel,
                          actor_of: Callable[[web.Request], Actor]) -> None:
    """Add the money routes to `api` (before the generic order-action route); returns'
    `refund {amount}` goes through the return actions route with `refund_amount`."""

    async def post_payment(request: web.Request) -> web.Response:
        order_id = parse_order_number(request.match_info["number"])
        if order_id is None:
            raise NotFound("Order", request.match_info["number"])
        body = PaymentIn.model_validate(await read_json(request))
        order = await views.order(order_id)
        if order is None:
            raise NotFound("Order", request.match_info["number"])
        currency = body.currency or str(order["currency"])
        amount = parse_amount(str(body.amount) if isinstance(body.amount, float)
                              else body.amount, currency, "amount")
        await bus.handle(RecordPayment(order_id, amount, body.currency, body.method,
                                       body.reference, body.at), actor_of(request))
        return web.json_response(await views.order(order_id), status=201)

    async def get_journal(request: web.Request) -> web.Response:
        start, end = journal_period(request.query.get("from"), request.query.get("to"))
        lines = await views.journal(start, end)
        return web.json_response({"from": start.isoformat(), "to": end.isoformat(),
                                  "lines": lines})

    api.router.add_post("/orders/{number}/payments", post_payment)
    api.router.add_get("/journal", get_journal)
