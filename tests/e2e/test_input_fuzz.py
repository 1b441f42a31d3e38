"""Arbitrary text and numbers at the API and the importer, on SQLite and PostgreSQL.

Whatever comes in, the answer is never a 500, and a refused request writes nothing (the
table counts are unchanged). Found so far: nothing that is not a 4xx by the input policy.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from aiohttp.test_utils import TestClient, TestServer
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.bootstrap import Core
from bot.web import build_web_app
from channels.importing.files import UnreadableFile, detect_encoding, read_file
from channels.importing.run import import_orders
from tests.catalog import order_json
from tests.e2e.test_api import Api, catalogue
from tests.helpers import table_counts

FUZZ = settings(max_examples=40, deadline=None, derandomize=True,
                suppress_health_check=[HealthCheck.function_scoped_fixture,
                                       HealthCheck.too_slow])
texts = st.text(max_size=40)  # every code point, NUL and the other controls included
numbers = st.one_of(
    st.integers(), st.floats(allow_nan=True, allow_infinity=True), st.booleans(), st.none(),
    st.decimals(allow_nan=False, allow_infinity=False).map(str), texts)
scalars = st.one_of(texts, numbers)


@pytest.fixture
async def fuzz_api(core: Core) -> AsyncIterator[Api]:
    client = TestClient(TestServer(build_web_app(core)))
    await client.start_server()
    try:
        api = Api(client, await core.tokens.create("fuzz"))
        await catalogue(api)
        yield api
    finally:
        await client.close()


def mutate(body: dict[str, Any], path: tuple[str | int, ...], value: Any) -> dict[str, Any]:
    copy = json.loads(json.dumps(body))
    target = copy
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    return copy


ORDER_FIELDS: list[tuple[str | int, ...]] = [
    ("external_id",), ("channel",), ("currency",), ("customer", "email"), ("customer", "name"),
    ("customer", "phone"), ("shipping_address", "name"), ("shipping_address", "line1"),
    ("shipping_address", "city"), ("shipping_address", "postal_code"),
    ("shipping_address", "country"), ("lines", 0, "sku"), ("lines", 0, "quantity"),
    ("lines", 0, "unit_price"), ("lines", 0, "unit_cost"), ("shipping_method",),
    ("placed_at",), ("flags",),
]


async def answer_without_500(api: Api, core: Core, method: str, path: str, body: Any) -> None:
    before = await table_counts(core)
    status, answer = await api.call(method, path, body)
    assert status < 500, answer
    if status >= 400:
        assert await table_counts(core) == before, (status, answer)


@FUZZ
@given(field=st.sampled_from(ORDER_FIELDS), value=scalars, n=st.integers(1, 10**6))
async def test_orders_take_any_value_without_a_500(
        fuzz_api: Api, core: Core, field: tuple[str | int, ...], value: Any, n: int) -> None:
    body = mutate(order_json(f"FUZZ-{n}"), field, value)
    await answer_without_500(fuzz_api, core, "POST", "/orders", body)


@FUZZ
@given(name=texts, price=numbers, quantity=numbers, reason=texts)
async def test_products_stock_and_returns_take_any_value_without_a_500(
        fuzz_api: Api, core: Core, name: str, price: Any, quantity: Any, reason: str) -> None:
    await answer_without_500(fuzz_api, core, "PUT", "/products/MUG-01",
                             {"name": name, "price": price, "currency": "EUR"})
    await answer_without_500(fuzz_api, core, "POST", "/inventory/MUG-01/receive",
                             {"warehouse": "MIL", "quantity": quantity})
    await answer_without_500(fuzz_api, core, "POST", "/returns", {
        "order": "ORD-000001", "reason": reason, "lines": [{"sku": name, "quantity": quantity}]})


@FUZZ
@given(cells=st.lists(st.one_of(texts, st.integers().map(str)), min_size=17, max_size=17),
       delimiter=st.sampled_from([",", ";"]))
async def test_the_importer_refuses_or_imports_any_row_whole(
        core: Core, tmp_path: Path, cells: list[str], delimiter: str) -> None:
    header = ("external_id;channel;currency;customer_email;customer_name;ship_name;ship_line1;"
              "ship_city;ship_postal_code;ship_country;sku;quantity;unit_price;status;"
              "placed_at;shipped_at;delivered_at").replace(";", delimiter)
    quoted = delimiter.join('"' + c.replace('"', '""') + '"' for c in cells)
    raw = (header + "\n" + quoted + "\n").encode("utf-8", "surrogatepass")
    before = await table_counts(core)
    path = tmp_path / "fuzz.csv"
    path.write_bytes(raw)
    try:
        encoding = detect_encoding(path)
        orders = list(read_file(path, encoding))
    except (UnicodeDecodeError, UnreadableFile):
        return  # lone surrogates: not text any editor writes
    report = await import_orders(core.bus, orders)
    if report.rejected:
        assert await table_counts(core) == before
