"""Request bodies of fulfilment (CONTRACT §10): carriers, boxes, bins."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Annotated

from pydantic import Field, StrictInt, field_validator

from channels.http.schemas import AmountIn, Body, Code, Text
from domain.errors import ValidationError
from domain.fulfillment.carriers import CarrierService, RateTier, Zone
from domain.fulfillment.packing import Box
from domain.money import CURRENCIES, parse_amount

Grams = Annotated[StrictInt, Field(gt=0, le=10_000_000)]
Millimetres = Annotated[StrictInt, Field(gt=0, le=100_000)]
Country = Annotated[str, Field(pattern=r"^(?:[A-Za-z]{2}|\*)$")]


def _amount(value: AmountIn, currency: str, path: str) -> Decimal:
    try:
        return parse_amount(value if not isinstance(value, float) else str(value),
                            currency, path)
    except ValidationError as exc:
        raise ValueError(exc.reason) from None


class RateIn(Body):
    max_weight_g: Grams
    price: AmountIn
    currency: Annotated[str, Field(pattern=r"^[A-Z]{3}$")]

    @field_validator("currency")
    @classmethod
    def _currency(cls, value: str) -> str:
        if value not in CURRENCIES:
            raise ValueError(f"{value!r} is not an ISO 4217 currency code")
        return value

    def tier(self) -> RateTier:
        return RateTier(self.max_weight_g, _amount(self.price, self.currency, "price"),
                        self.currency)


class ZoneIn(Body):
    countries: Annotated[list[Country], Field(min_length=1, max_length=300)]
    rates: Annotated[list[RateIn], Field(min_length=1, max_length=50)]


class ServiceIn(Body):
    code: Code
    name: Text
    transit_days: Annotated[StrictInt, Field(ge=0, le=365)]
    zones: Annotated[list[ZoneIn], Field(min_length=1, max_length=100)]
    per_kg_over: AmountIn | None = None
    volumetric_divisor: Annotated[StrictInt, Field(gt=0, le=100_000)] | None = None

    def service(self) -> CarrierService:
        zones = tuple(Zone(tuple(c.upper() for c in z.countries),
                           tuple(r.tier() for r in z.rates)) for z in self.zones)
        currency = zones[0].rates[0].currency
        per_kg = (None if self.per_kg_over is None
                  else _amount(self.per_kg_over, currency, "per_kg_over"))
        return CarrierService(self.code, self.name, self.transit_days, zones, per_kg,
                              self.volumetric_divisor)


class CarrierIn(Body):
    name: Text
    tracking_url: Annotated[str, Field(min_length=8, max_length=500,
                                       pattern=r"^https?://")] | None = None
    tracking_prefix: Annotated[str, Field(pattern=r"^[A-Z0-9]{1,8}$")] | None = None
    services: Annotated[list[ServiceIn], Field(min_length=1, max_length=50)]


class BoxIn(Body):
    length_mm: Millimetres
    width_mm: Millimetres
    height_mm: Millimetres
    max_weight_g: Grams
    tare_g: Annotated[StrictInt, Field(ge=0, le=1_000_000)] = 0

    def box(self, name: str) -> Box:
        return Box(name, self.length_mm, self.width_mm, self.height_mm, self.max_weight_g,
                   self.tare_g)


class BinIn(Body):
    warehouse: Code
    bin: Annotated[str, Field(min_length=1, max_length=44)]


class ShippedLineIn(Body):
    sku: Annotated[str, Field(min_length=1, max_length=64)]
    quantity: Annotated[StrictInt, Field(gt=0, le=1_000_000)]


class ThirdPartyShipmentIn(Body):
    carrier: Annotated[str, Field(min_length=1, max_length=64)]
    tracking_number: Annotated[str, Field(min_length=1, max_length=128)]
    eta: date | None = None
    lines: Annotated[list[ShippedLineIn], Field(max_length=500)] = []
