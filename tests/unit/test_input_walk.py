"""The input policy's walk (`text_problems`, `check_command`) was rewritten for speed (every
request walks its JSON, then its command); it must report exactly what the first version
reported, kept here as the reference, for any JSON value and any order command."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import fields, is_dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from domain import input_policy as ip
from domain.orders.commands import CustomerDetails, LineRequest, PlaceOrder


def reference(value: object, path: str, now: datetime | None, today: date | None
              ) -> Iterator[ip.Problem]:
    """The walk as first written (domain/input_policy.py before this change)."""
    if isinstance(value, str):
        problem = ip.text_problem(value)
        if problem is not None:
            yield path or "text", problem
    elif isinstance(value, Decimal):
        yield from ip._caught(ip.check_amount, value, path or "amount")
    elif is_dataclass(value) and not isinstance(value, type):
        for f in fields(value):
            yield from _reference_field(getattr(value, f.name), f.name,
                                        f"{path}.{f.name}" if path else f.name, now, today)
    elif isinstance(value, Mapping):
        for key, inner in value.items():
            name = f"{path}.{key}" if path else str(key)
            yield from reference(key, name, now, today)
            yield from reference(inner, name, now, today)
    elif isinstance(value, (list, tuple, set, frozenset)):
        for index, inner in enumerate(value):
            yield from reference(inner, f"{path}.{index}" if path else str(index), now, today)


def _reference_field(value: object, name: str, path: str, now: datetime | None,
                     today: date | None) -> Iterator[ip.Problem]:
    if value is None:
        return
    if name in ip._QUANTITY_FIELDS:
        yield from ip._caught(ip.check_quantity, value, path)
    if name in ip._ETA_FIELDS and today is not None and isinstance(value, date):
        yield from ip._caught(ip.check_eta, value, today, path)
    if name in ip._EVENT_TIME_FIELDS and now is not None and isinstance(value, datetime):
        yield from ip._caught(ip.check_event_time, value, now, path)
    yield from reference(value, path, now, today)


def _shown(problems: list[ip.Problem]) -> list[tuple[str, str]]:
    return [(path, str(reason)) for path, reason in problems]


texts = st.text(st.characters(codec="utf-8"), max_size=6) | st.sampled_from(
    ["ok", "a\x00b", "\u202eevil", "tab\tok", "line\nok", "\x7f", "\u2028"])
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | texts,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(texts, inner, max_size=3),
    max_leaves=12)
NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
amounts = st.none() | st.decimals(min_value=-10, max_value=10**9, allow_nan=False,
                                  allow_infinity=False)
commands = st.builds(
    PlaceOrder, external_id=texts, channel=texts, currency=texts,
    customer=st.builds(CustomerDetails, email=texts, name=texts, phone=st.none() | texts,
                       locale=st.none() | texts),
    shipping_address=st.dictionaries(texts, json_values, max_size=4),
    lines=st.lists(st.builds(LineRequest, sku=texts, quantity=st.integers(-3, 2_000_000),
                             unit_price=amounts, unit_cost=amounts, tax_rate=amounts),
                   max_size=3).map(tuple),
    flags=st.lists(texts, max_size=3).map(tuple),
    placed_at=st.none() | st.just(NOW + timedelta(days=2)) | st.just(NOW))


@settings(max_examples=300)
@given(json_values, st.sampled_from(["", "body"]))
def test_raw_json_gets_the_same_problems(value: object, path: str) -> None:
    assert _shown(ip.text_problems(value, path)) == _shown(
        list(reference(value, path, None, None)))


@settings(max_examples=300)
@given(commands)
def test_commands_get_the_same_problems(cmd: PlaceOrder) -> None:
    got = ip._problems(cmd, "", NOW, NOW.date())
    assert _shown(got) == _shown(list(reference(cmd, "", NOW, NOW.date())))
