"""The request fingerprint is stored with every order (idempotent retries compare it), so
its canonical form must never change: it is that of `dataclasses.asdict`, which
`request_fingerprint` builds without asdict's deep copies. Here the two agree on arbitrary
commands, nested address dicts and lists included."""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from domain.orders.commands import CustomerDetails, LineRequest, PlaceOrder
from domain.orders.idempotency import _plain, request_fingerprint


def fingerprint_by_asdict(cmd: PlaceOrder) -> str:
    """The definition: asdict, without the idempotency key and scope, as sorted JSON."""
    fields = {k: v for k, v in asdict(cmd).items()
              if k not in ("idempotency_key", "idempotency_scope")}
    canonical = json.dumps(fields, sort_keys=True, separators=(",", ":"), default=_plain)
    return hashlib.sha256(canonical.encode()).hexdigest()


texts = st.text(max_size=12)
amounts = st.none() | st.decimals(min_value=0, max_value=10_000, places=2,
                                  allow_nan=False, allow_infinity=False)
times = st.none() | st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2100, 1, 1),
                                 timezones=st.sampled_from(
                                     [UTC, timezone(timedelta(hours=2)),
                                      timezone(timedelta(hours=-5, minutes=-30))]))
json_values = st.recursive(st.none() | st.booleans() | st.integers() | texts,
                           lambda inner: st.lists(inner, max_size=3)
                           | st.dictionaries(texts, inner, max_size=3), max_leaves=8)
commands = st.builds(
    PlaceOrder, external_id=texts, channel=texts, currency=st.sampled_from(["EUR", "JPY"]),
    customer=st.builds(CustomerDetails, email=texts, name=texts,
                       phone=st.none() | texts, locale=st.none() | texts),
    shipping_address=st.dictionaries(texts, json_values, max_size=5),
    lines=st.lists(st.builds(LineRequest, sku=texts, quantity=st.integers(1, 99),
                             unit_price=amounts, unit_cost=amounts, tax_rate=amounts),
                   min_size=1, max_size=4).map(tuple),
    shipping_method=st.none() | texts, payment_status=st.sampled_from(["paid", "pending"]),
    flags=st.lists(texts, max_size=3).map(tuple), placed_at=times,
    idempotency_key=st.none() | texts, idempotency_scope=st.none() | texts,
    status=st.none() | texts, shipped_at=times, delivered_at=times, notify=st.booleans())


@settings(max_examples=300)
@given(commands)
def test_the_fingerprint_is_asdicts(cmd: PlaceOrder) -> None:
    assert request_fingerprint(cmd) == fingerprint_by_asdict(cmd)


def test_a_known_command_keeps_its_fingerprint() -> None:
    # a fixed value, computed by the asdict version that stored orders were placed with:
    # any change to the canonical form breaks the retries of stored orders
    cmd = PlaceOrder("A-1", "web", "EUR", CustomerDetails("a@example.com", "Ann"),
                     {"city": "Turin", "lines": ["Via Roma 1"]},
                     (LineRequest("MUG", 2, Decimal("9.90")),), flags=("gift",),
                     placed_at=datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC),
                     idempotency_key="k1")
    assert request_fingerprint(cmd) == fingerprint_by_asdict(cmd)
    assert request_fingerprint(cmd) == (
        "512187ab890ddaea44db51f12e0314ba097eff58d6c33386fdd8733b6514d7d2")
