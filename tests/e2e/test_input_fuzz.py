"""Arbitrary text and numbers at the API and the importer, on SQLite and PostgreSQL.

Whatever comes in, the answer is never a 500 (and always JSON), and a refused request writes
nothing (the table counts are unchanged). Besides arbitrary values the strategies aim at the
kinds that got through before (QA findings F14, F15, F23, F30): C1 controls, DEL and bidi
overrides inside text, NUL in paths and query strings, JSON nested 100,000 deep, bodies over
the size limit, and decimal spellings Python's `Decimal` reads but the policy refuses
(`1_000`, Arabic-Indic digits, `1E+1`). Found so far: nothing that is not a 4xx by the input
policy.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

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
# Characters the policy refuses (domain/input_policy.py), put inside otherwise fine text.
REFUSED = ["\u0000", "\u0007", "\r", "\u007f", "\u0085", "\u009b", "\u202e", "\u2066",
           "\u2069"]
refused_texts = st.builds(lambda a, bad, b: a + bad + b, st.text("abcXYZ -", max_size=5),
                          st.sampled_from(REFUSED), st.text("abcXYZ -", max_size=5))
decimal_spellings = st.sampled_from([
    "1_000", "\u0661\u0662", "\u0967\u0968", "1E+1", "1e3", "Infinity", "-Infinity", "NaN",
    "sNaN", "1e999999999", " 12", "12,50", "0x10", "\uff11\uff12", "1.000000000001"])


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


async def answer_without_500(api: Api, core: Core, method: str, path: str, body: Any = None,
                             *, raw: bytes | None = None) -> tuple[int, Any]:
    """The answer (always JSON: `api.call` reads it as JSON), after checking it is not a
    500 and that a refusal wrote nothing."""
    before = await table_counts(core)
    status, answer = await api.call(method, path, body, raw=raw)
    assert status < 500, answer
    if status >= 400:
        assert await table_counts(core) == before, (status, answer)
    return status, answer


TEXT_FIELDS = [f for f in ORDER_FIELDS if f not in {
    ("lines", 0, "quantity"), ("lines", 0, "unit_price"), ("lines", 0, "unit_cost"),
    ("placed_at",), ("flags",)}]


@FUZZ
@given(field=st.sampled_from(TEXT_FIELDS), value=refused_texts, n=st.integers(1, 10**6))
async def test_refused_characters_are_a_422_naming_the_field(
        fuzz_api: Api, core: Core, field: tuple[str | int, ...], value: str, n: int) -> None:
    body = mutate(order_json(f"FUZZ-{n}"), field, value)
    status, answer = await answer_without_500(fuzz_api, core, "POST", "/orders", body)
    assert status == 422, answer
    assert ".".join(map(str, field)) in [f["path"] for f in answer["fields"]], answer


@FUZZ
@given(price=decimal_spellings, where=st.sampled_from(["unit_price", "tax_rate", "price"]))
async def test_decimals_spelled_otherwise_are_refused(
        fuzz_api: Api, core: Core, price: str, where: str) -> None:
    if where == "price":
        status, answer = await answer_without_500(fuzz_api, core, "PUT", "/products/MUG-01", {
            "name": "Mug", "price": price, "currency": "EUR"})
        path = "price"
    else:
        body = order_json("DEC-1", lines=[{"sku": "MUG-01", "quantity": 1, where: price}])
        status, answer = await answer_without_500(fuzz_api, core, "POST", "/orders", body)
        path = f"lines.0.{where}"
    assert status == 422, answer
    assert path in [f["path"] for f in answer["fields"]], answer


PATHS = ["/inventory/{}", "/orders/{}", "/customers/{}", "/returns/{}", "/reports/{}",
         "/orders?status=&customer={}", "/orders?limit={}", "/returns?status={}",
         "/journal?from={}", "/picklists/batch.pdf?warehouse={}", "/picklists/{}.pdf",
         "/shipments/{}/label.pdf", "/orders/{}/packing-slip.pdf"]


@FUZZ
@given(template=st.sampled_from(PATHS), value=st.one_of(texts, refused_texts))
async def test_any_path_or_query_text_is_answered_without_a_500(
        fuzz_api: Api, core: Core, template: str, value: str) -> None:
    encoded = quote(value.encode("utf-8", "surrogatepass"), safe="")
    status, answer = await answer_without_500(fuzz_api, core, "GET", template.format(encoded))
    if any(bad in value for bad in REFUSED) and status != 404:
        assert status == 422, answer


@FUZZ
@given(sku=st.one_of(texts, refused_texts), bin_=texts)
async def test_bins_take_any_sku_without_a_500(fuzz_api: Api, core: Core, sku: str,
                                               bin_: str) -> None:
    encoded = quote(sku.encode("utf-8", "surrogatepass"), safe="")
    await answer_without_500(fuzz_api, core, "PUT", f"/inventory/{encoded}/bins",
                             {"warehouse": "MIL", "bin": bin_})


@FUZZ
@given(depth=st.sampled_from([33, 1_000, 100_000]), opener=st.sampled_from(["[", '{"x":']))
async def test_deeply_nested_json_is_malformed_not_a_500(
        fuzz_api: Api, core: Core, depth: int, opener: str) -> None:
    closer = "]" if opener == "[" else "}"
    raw = ('{"x":' + opener * depth + "1" + closer * depth + "}").encode()
    for method, path in [("POST", "/orders"), ("POST", "/tracking"), ("PUT", "/products/X")]:
        status, answer = await answer_without_500(fuzz_api, core, method, path, raw=raw)
        assert (status, answer["error"]) == (400, "malformed_json"), answer


async def test_a_body_over_the_limit_is_a_json_413(fuzz_api: Api, core: Core) -> None:
    raw = b'{"name": "' + b"x" * (2 * 1024 * 1024) + b'"}'
    status, answer = await answer_without_500(fuzz_api, core, "POST", "/orders", raw=raw)
    assert (status, answer["error"]) == (413, "payload_too_large"), answer


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
