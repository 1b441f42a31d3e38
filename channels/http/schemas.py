"""Request bodies of the HTTP API, validated with pydantic and turned into commands."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any, Literal, Self

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, StrictInt, field_validator
from pydantic import ValidationError as PydanticError

from channels.http.errors import pydantic_fields
from domain.customers.model import normalise_email
from domain.errors import InvalidInput, ValidationError
from domain.input_policy import CHANNEL_PATTERN, parse_decimal, refuse, text_problems
from domain.money import CURRENCIES, parse_amount
from domain.orders import commands as oc

Text = Annotated[str, Field(min_length=1, max_length=200)]
Code = Annotated[str, Field(min_length=1, max_length=32, pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]*$")]
Quantity = Annotated[StrictInt, Field(gt=0, le=1_000_000)]


def _plain_decimal(value: object) -> object:
    """The input policy's decimal spelling (`12.5`, not `1_000`, `١٢` or `1E+1`)."""
    if isinstance(value, float):
        value = str(value)
    try:
        return parse_decimal(value, "value")
    except ValidationError as exc:
        raise ValueError(exc.reason) from None


def _channel_name(value: object) -> object:
    """A sales channel exactly as sent: `"web\n"` is refused, not stripped."""
    if isinstance(value, str) and CHANNEL_PATTERN.fullmatch(value) is None:
        raise ValueError("use letters, digits, '-' or '_' (at most 40)")
    return value


def _spelled_plainly(value: object) -> object:
    """An amount as sent, once its spelling passed the input policy (its currency's digits
    are checked where the currency is known: `parse_amount`)."""
    if isinstance(value, (str, int, Decimal)) and not isinstance(value, bool):
        _plain_decimal(value)
    return value


AmountIn = Annotated[str | int | float | Decimal, BeforeValidator(_spelled_plainly)]
# VAT in percent, a decimal string or number from 0 to 100 ("22", "5.5")
TaxRate = Annotated[Decimal, BeforeValidator(_plain_decimal),
                    Field(ge=0, le=100, max_digits=7, decimal_places=4)]
Channel = Annotated[str, BeforeValidator(_channel_name)]


class Body(BaseModel):
    """A request body. Validating one also runs the input policy's text rule over the raw
    JSON, so a 422 names every bad field: the control characters beside pydantic's own
    findings (CONTRACT §4 "422 names each bad field by path")."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    @classmethod
    def model_validate(cls, obj: Any, *, strict: bool | None = None,
                       extra: Any = None, from_attributes: bool | None = None,
                       context: Any | None = None, by_alias: bool | None = None,
                       by_name: bool | None = None) -> Self:
        problems = text_problems(obj)
        try:
            body = super().model_validate(obj, strict=strict, extra=extra,
                                          from_attributes=from_attributes, context=context,
                                          by_alias=by_alias, by_name=by_name)
        except PydanticError as exc:
            named = {path for path, _ in problems}
            problems += [(f["path"], f["message"]) for f in pydantic_fields(exc)
                         if f["path"] not in named]
            refuse(problems)
        if problems:
            refuse(problems)
        return body


def _aware(value: datetime | None) -> datetime | None:
    if value is not None and value.tzinfo is None:
        raise ValueError("needs a time zone, e.g. 2026-11-24T10:00:00Z")
    return value


class CustomerIn(Body):
    email: Annotated[str, Field(min_length=3, max_length=254)]
    name: Annotated[str, Field(max_length=200)] = ""
    phone: Annotated[str, Field(max_length=40)] | None = None
    # a language code ("de", "it-IT"); texts come in the shipped languages, else the default
    locale: Annotated[str, Field(pattern=r"^[A-Za-z]{2,3}([_-][A-Za-z0-9]{2,8})?$")] | None = None

    @field_validator("email")
    @classmethod
    def _email(cls, value: str) -> str:
        try:
            return normalise_email(value)
        except ValidationError as exc:
            raise ValueError(exc.reason) from None


class AddressIn(Body):
    name: Text
    line1: Text
    line2: Annotated[str, Field(max_length=200)] | None = None
    city: Text
    postal_code: Annotated[str, Field(min_length=1, max_length=32)]
    country: Annotated[str, Field(pattern=r"^[A-Za-z]{2}$")]
    region: Annotated[str, Field(max_length=100)] | None = None
    lat: Annotated[float, Field(ge=-90, le=90)] | None = None
    lon: Annotated[float, Field(ge=-180, le=180)] | None = None


class LineIn(Body):
    sku: Annotated[str, Field(min_length=1, max_length=64)]
    quantity: Quantity
    unit_price: AmountIn | None = None
    unit_cost: AmountIn | None = None
    tax_rate: TaxRate | None = None


class PaymentIn(Body):
    """What the sales channel says of the payment: `paid` records one payment of the total;
    `pending` (as when `payment` is left out) none: the order awaits its payment."""

    status: Literal["paid", "pending"]


class OrderIn(Body):
    external_id: Annotated[str, Field(min_length=1, max_length=128)]
    channel: Channel
    currency: Annotated[str, Field(pattern=r"^[A-Z]{3}$")]
    customer: CustomerIn
    shipping_address: AddressIn
    lines: Annotated[list[LineIn], Field(min_length=1, max_length=500)]
    shipping_method: Code | None = None
    payment: PaymentIn | None = None  # None: unpaid, awaiting payment
    flags: list[Literal["vip", "gift", "replacement"]] = []
    placed_at: datetime | None = None

    _placed_at = field_validator("placed_at")(_aware)

    @field_validator("currency")
    @classmethod
    def _currency(cls, value: str) -> str:
        if value not in CURRENCIES:
            raise ValueError(f"{value!r} is not an ISO 4217 currency code")
        return value

    def to_command(self, idempotency_key: str | None, scope: str | None = None
                   ) -> oc.PlaceOrder:
        problems: list[tuple[str, str]] = []

        def amount(value: AmountIn | None, path: str) -> Decimal | None:
            if value is None:
                return None
            try:
                return parse_amount(value if not isinstance(value, float) else str(value),
                                    self.currency, path)
            except ValidationError as exc:
                problems.append((path, exc.reason))
                return None

        lines = tuple(oc.LineRequest(
            sku=ln.sku, quantity=ln.quantity,
            unit_price=amount(ln.unit_price, f"lines.{i}.unit_price"),
            unit_cost=amount(ln.unit_cost, f"lines.{i}.unit_cost"), tax_rate=ln.tax_rate,
        ) for i, ln in enumerate(self.lines))
        if problems:
            raise InvalidInput(problems)
        address = self.shipping_address.model_dump(exclude_none=True)
        address["country"] = address["country"].upper()
        return oc.PlaceOrder(
            external_id=self.external_id, channel=self.channel, currency=self.currency,
            customer=oc.CustomerDetails(**self.customer.model_dump()),
            shipping_address=address, lines=lines, shipping_method=self.shipping_method,
            payment_status=self.payment.status if self.payment else "pending",
            flags=tuple(self.flags), placed_at=self.placed_at, idempotency_key=idempotency_key,
            idempotency_scope=scope if idempotency_key else None,
        )


class ThirdPartyIn(Body):
    """A 3PL runs the warehouse: fulfilment requests go to `webhook_url`, signed with
    `secret` (HMAC-SHA256), and its confirmations must be signed with it too."""

    webhook_url: Annotated[str, Field(max_length=500, pattern=r"^https?://[^\s]+$")]
    secret: Annotated[str, Field(min_length=16, max_length=200)]


class WarehouseIn(Body):
    name: Text
    country: Annotated[str, Field(pattern=r"^[A-Za-z]{2}$")]
    postal_code: Annotated[str, Field(min_length=1, max_length=32)]
    city: Annotated[str, Field(max_length=200)] = ""
    line1: Annotated[str, Field(max_length=200)] = ""
    lat: Annotated[float, Field(ge=-90, le=90)] | None = None
    lon: Annotated[float, Field(ge=-180, le=180)] | None = None
    priority: Annotated[StrictInt, Field(ge=0, le=1_000_000)] = 100
    fulfilment: ThirdPartyIn | None = None


class ProductIn(Body):
    name: Annotated[str, Field(min_length=1, max_length=300)]
    price: AmountIn
    currency: Annotated[str, Field(pattern=r"^[A-Z]{3}$")]
    cost: AmountIn | None = None
    barcode: Annotated[str, Field(max_length=64)] | None = None
    weight_g: Annotated[StrictInt, Field(ge=0, le=1_000_000)] | None = None
    length_mm: Annotated[StrictInt, Field(gt=0, le=100_000)] | None = None
    width_mm: Annotated[StrictInt, Field(gt=0, le=100_000)] | None = None
    height_mm: Annotated[StrictInt, Field(gt=0, le=100_000)] | None = None
    reorder_point: Annotated[StrictInt, Field(ge=0)] = 0
    reorder_quantity: Annotated[StrictInt, Field(ge=0)] = 0
    supplier_email: str | None = None
    allow_backorder: bool = False
    tax_rate: TaxRate | None = None

    @field_validator("supplier_email")
    @classmethod
    def _email(cls, value: str | None) -> str | None:
        if value is None:
            return None
        try:
            return normalise_email(value)
        except ValidationError as exc:
            raise ValueError(exc.reason) from None


class ShippingMethodIn(Body):
    name: Text
    ship_within_hours: Annotated[StrictInt, Field(ge=0, le=24 * 365)]
    transit_days: Annotated[StrictInt, Field(ge=0, le=365)]
    price: AmountIn | None = None
    currency: Annotated[str, Field(pattern=r"^[A-Z]{3}$")] | None = None
    prices: dict[Annotated[str, Field(pattern=r"^[A-Z]{3}$")], AmountIn] | None = None


class ReceiveIn(Body):
    warehouse: Code | None = None
    quantity: Quantity


class AdjustmentIn(Body):
    """`{warehouse, delta | on_hand, reason}`: add `delta` units (negative: take them
    away), or set the count `on_hand`; exactly one of the two."""

    warehouse: Code
    delta: Annotated[StrictInt, Field(ge=-1_000_000, le=1_000_000)] | None = None
    on_hand: Annotated[StrictInt, Field(ge=0, le=1_000_000)] | None = None
    reason: Annotated[str, Field(min_length=1, max_length=500)]

    def change(self) -> tuple[str, int]:
        """(mode, quantity) of the domain command: `+`/`-` and units, or `=` and a count."""
        if (self.delta is None) == (self.on_hand is None):
            raise ValidationError("delta", "give either delta (+/- units) or on_hand")
        if self.on_hand is not None:
            return "=", self.on_hand
        assert self.delta is not None
        if self.delta == 0:
            raise ValidationError("delta", "must not be 0")
        return ("+" if self.delta > 0 else "-"), abs(self.delta)


class ItemIn(Body):
    """A SKU and a whole number of units (cancel and return lines)."""

    sku: Annotated[str, Field(min_length=1, max_length=64)]
    quantity: Quantity


class CancelIn(Body):
    reason: Annotated[str, Field(max_length=500)] = ""
    lines: Annotated[list[ItemIn], Field(max_length=500)] = []

    def to_command(self, order_id: int) -> oc.CancelOrder:
        """`lines` absent: the whole order; present (even empty, which the domain refuses):
        only the units it names."""
        lines = tuple(oc.CancelLine(ln.sku, ln.quantity) for ln in self.lines)
        return oc.CancelOrder(order_id, self.reason,
                              lines if "lines" in self.model_fields_set else None)


class ReturnActionIn(Body):
    warehouse: Code | None = None  # receive
    amount: AmountIn | None = None  # refund: decimal string in the return's currency


class ShipIn(Body):
    """Both carrier and tracking number: shipped as typed. No tracking number: omsbot packs,
    rate-shops (within `carrier` when given) and buys the label (CONTRACT §10)."""

    carrier: Annotated[str, Field(min_length=1, max_length=64)] | None = None
    tracking_number: Annotated[str, Field(min_length=1, max_length=128)] | None = None
    eta: date | None = None
    warehouse: Code | None = None


class TrackingIn(Body):
    tracking_number: Annotated[str, Field(min_length=1, max_length=128)]
    status: Literal["in_transit", "out_for_delivery", "delivered", "exception"]
    eta: date | None = None
    at: datetime | None = None

    _at = field_validator("at")(_aware)


class ReturnIn(Body):
    order: Annotated[str, Field(min_length=1, max_length=20)]
    reason: Annotated[str, Field(min_length=1, max_length=500)]
    lines: Annotated[list[ItemIn], Field(max_length=500)] = []
    exchange: bool = False
