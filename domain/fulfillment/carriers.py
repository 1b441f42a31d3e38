"""Carriers, their services and what a parcel costs with each (rate shopping).

A service prices a parcel by its chargeable weight, max(real, volumetric): volumetric grams
are length × width × height in millimetres divided by the service's divisor (the usual
5,000 cm³/kg is 5000 here too: 300 × 200 × 100 mm / 5000 = 1,200 g). The zone whose countries
hold the destination gives the weight tiers; above the last tier each started kilogram costs
`per_kg_over`, and without it the service does not take the parcel.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from domain.errors import InvalidInput
from domain.texts import N_, Text

ANY_COUNTRY = "*"
TRACKING_DIGITS = 10
_PREFIX = re.compile(r"^[A-Z0-9]{1,8}$")


@dataclass(frozen=True)
class RateTier:
    """Parcels up to `max_weight_g` (chargeable grams) cost `price`."""

    max_weight_g: int
    price: Decimal
    currency: str


@dataclass(frozen=True)
class Zone:
    """Destination countries (ISO 3166 alpha-2, or `*` for the rest of the world)."""

    countries: tuple[str, ...]
    rates: tuple[RateTier, ...]

    def covers(self, country: str) -> bool:
        return country.upper() in self.countries or ANY_COUNTRY in self.countries


@dataclass(frozen=True)
class CarrierService:
    code: str
    name: str
    transit_days: int
    zones: tuple[Zone, ...]
    per_kg_over: Decimal | None = None
    volumetric_divisor: int | None = None

    def chargeable_g(self, weight_g: int, dims_mm: tuple[int, int, int] | None) -> int:
        """Grams billed: the real weight, or the volumetric weight when that is more."""
        if dims_mm is None or not self.volumetric_divisor:
            return weight_g
        volume = dims_mm[0] * dims_mm[1] * dims_mm[2]
        return max(weight_g, math.ceil(volume / self.volumetric_divisor))

    def price(self, country: str, chargeable_g: int) -> tuple[Decimal, str] | None:
        """(price, currency) of a parcel to `country`; None when the service does not take it
        (no zone for the country, or heavier than the last tier without `per_kg_over`)."""
        zone = next((z for z in self.zones if country.upper() in z.countries), None) or next(
            (z for z in self.zones if z.covers(country)), None)
        if zone is None or not zone.rates:
            return None
        tiers = sorted(zone.rates, key=lambda t: t.max_weight_g)
        for tier in tiers:
            if chargeable_g <= tier.max_weight_g:
                return tier.price, tier.currency
        if self.per_kg_over is None:
            return None
        last = tiers[-1]
        extra_kg = math.ceil((chargeable_g - last.max_weight_g) / 1000)
        return last.price + self.per_kg_over * extra_kg, last.currency


@dataclass(eq=False)
class Carrier:
    """A carrier and its services. `tracking_prefix`: the carrier hands out tracking numbers
    from its own series (`<prefix><10 digits>`), so omsbot can assign them itself."""

    code: str
    name: str
    services: list[CarrierService] = field(default_factory=list)
    tracking_url: str | None = None
    tracking_prefix: str | None = None

    def service(self, code: str) -> CarrierService | None:
        return next((s for s in self.services if s.code.lower() == code.lower()), None)

    def tracking_link(self, tracking_number: str) -> str | None:
        """The public tracking page of a parcel: `{tracking}` in the template is replaced."""
        if not self.tracking_url:
            return None
        return self.tracking_url.replace("{tracking}", tracking_number)

    def tracking_number(self, serial: int) -> str:
        """The `serial`-th number of this carrier's series."""
        if not self.tracking_prefix:
            raise ValueError(f"carrier {self.code} has no tracking number series")
        return f"{self.tracking_prefix}{serial:0{TRACKING_DIGITS}d}"


def validate_carrier(carrier: Carrier) -> None:
    """Raise InvalidInput naming each bad field of a carrier's configuration."""
    problems: list[tuple[str, Text]] = []
    if carrier.tracking_url and "{tracking}" not in carrier.tracking_url:
        problems.append(("tracking_url", Text.of(
            N_("must contain %(placeholder)s where the number goes"), placeholder="{tracking}")))
    if carrier.tracking_prefix is not None and not _PREFIX.match(carrier.tracking_prefix):
        problems.append(("tracking_prefix",
                         Text(N_("use 1 to 8 upper-case letters or digits"))))
    if not carrier.services:
        problems.append(("services", Text(N_("a carrier needs at least one service"))))
    seen: set[str] = set()
    for i, service in enumerate(carrier.services):
        where = f"services.{i}"
        if service.code.lower() in seen:
            problems.append((f"{where}.code", Text.of(N_("%(code)s is listed twice"),
                                                      code=repr(service.code))))
        seen.add(service.code.lower())
        if service.volumetric_divisor is not None and service.volumetric_divisor <= 0:
            problems.append((f"{where}.volumetric_divisor", Text(N_("must be positive"))))
        for j, zone in enumerate(service.zones):
            if not zone.rates:
                problems.append((f"{where}.zones.{j}.rates",
                                 Text(N_("a zone needs at least one rate"))))
            if len({t.currency for t in zone.rates}) > 1:
                problems.append((f"{where}.zones.{j}.rates",
                                 Text(N_("use one currency per zone"))))
    if problems:
        raise InvalidInput(problems)


@dataclass(frozen=True)
class Rate:
    """What one service would charge for one parcel, and when it would arrive."""

    carrier: str
    carrier_name: str
    service: str
    service_name: str
    transit_days: int
    price: Decimal
    currency: str
    chargeable_g: int
    delivery: date
    meets_promise: bool

    @property
    def key(self) -> str:
        return f"{self.carrier}/{self.service}"


def rates_for(
    carriers: Iterable[Carrier], country: str, weight_g: int,
    dims_mm: tuple[int, int, int] | None, ship_on: date, promised: date,
) -> list[Rate]:
    """Every service that takes the parcel, cheapest first (then fastest, then by name)."""
    found: list[Rate] = []
    for carrier in carriers:
        for service in carrier.services:
            chargeable = service.chargeable_g(weight_g, dims_mm)
            priced = service.price(country, chargeable)
            if priced is None:
                continue
            delivery = ship_on + timedelta(days=service.transit_days)
            found.append(Rate(carrier.code, carrier.name, service.code, service.name,
                              service.transit_days, priced[0], priced[1], chargeable,
                              delivery, delivery <= promised))
    return sorted(found, key=lambda r: (r.price, r.transit_days, r.key))


def choose_rate(rates: Sequence[Rate], *, express: bool) -> Rate | None:
    """The cheapest rate that keeps the promised delivery; for express orders the fastest
    (the cheapest of the fastest). When none keeps the promise, the fastest."""
    if not rates:
        return None
    fastest = min(rates, key=lambda r: (r.transit_days, r.price, r.key))
    if express:
        return fastest
    on_time = [r for r in rates if r.meets_promise]
    return on_time[0] if on_time else fastest
