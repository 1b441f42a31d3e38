"""The one input policy (domain/input_policy.py): the rules every channel's commands meet."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest

from domain.errors import InvalidInput, ValidationError
from domain.input_policy import (
    MAX_CLOCK_SKEW,
    check_command,
    check_text,
    clean_text,
    own_sku,
    parse_decimal,
    sales_channel,
    text_problems,
)
from domain.money import parse_amount, plain

NOW = datetime(2026, 11, 24, 10, 0, tzinfo=UTC)
TODAY = date(2026, 11, 24)


@pytest.mark.parametrize("char", [
    "\u0000", "\u0007", "\r", "\u001f",  # C0 but tab and newline
    "\u007f",  # DEL
    "\u0080", "\u0085", "\u0092", "\u009b", "\u009f",  # C1
    "\u202a", "\u202b", "\u202c", "\u202d", "\u202e",  # bidi embeddings and overrides
    "\u2066", "\u2067", "\u2068", "\u2069",  # bidi isolates
])
def test_control_and_bidi_characters_are_refused_naming_the_field(char: str) -> None:
    with pytest.raises(ValidationError) as caught:
        check_text(f"Mario{char}Rossi", "customer.name")
    assert caught.value.field == "customer.name"
    assert f"U+{ord(char):04X}" in caught.value.reason
    assert char not in clean_text(f"a{char}b")


@pytest.mark.parametrize("text", ["Mario\tRossi", "line 1\nline 2", "Zoë Ünal", "שלום",
                                  "مرحبا", "\u200dzero width joiner", "€ 12,50", "🙂"])
def test_ordinary_text_in_any_script_passes(text: str) -> None:
    assert check_text(text, "name") == text


@dataclass(frozen=True)
class Line:
    sku: str
    quantity: object


@dataclass(frozen=True)
class Command:
    name: str
    lines: tuple[Line, ...]
    flags: tuple[str, ...] = ()
    eta: date | None = None
    at: datetime | None = None


def test_a_command_with_several_bad_fields_names_each() -> None:
    command = Command("Mario\u0000Rossi", (Line("MUG\u0085", 1), Line("CUP", 1.9)),
                      flags=("vip\u202e",))
    with pytest.raises(InvalidInput) as caught:
        check_command(command)
    assert [path for path, _ in caught.value.problems] == [
        "name", "lines.0.sku", "lines.1.quantity", "flags.0"]


def test_one_bad_field_is_a_validation_error_with_its_path() -> None:
    with pytest.raises(ValidationError) as caught:
        check_command(Command("ok", (Line("MUG", True),)))
    assert caught.value.field == "lines.0.quantity"


def test_an_eta_before_the_shops_today_is_refused_wherever_it_comes_from() -> None:
    check_command(Command("ok", (), eta=TODAY), NOW, TODAY)
    with pytest.raises(ValidationError) as caught:
        check_command(Command("ok", (), eta=TODAY - timedelta(days=1)), NOW, TODAY)
    assert caught.value.field == "eta"


def test_a_time_something_happened_may_not_be_in_the_future() -> None:
    check_command(Command("ok", (), at=NOW + MAX_CLOCK_SKEW), NOW, TODAY)
    check_command(Command("ok", (), at=datetime(2001, 1, 1, tzinfo=UTC)), NOW, TODAY)
    with pytest.raises(ValidationError) as caught:
        check_command(Command("ok", (), at=NOW + MAX_CLOCK_SKEW + timedelta(seconds=1)),
                      NOW, TODAY)
    assert (caught.value.field, caught.value.reason) == (
        "at", "is in the future (more than 5 minutes after now)")


@pytest.mark.parametrize("spelling", ["1_000", "\u0661\u0662", "1E+1", "1e3", "Infinity",
                                      "NaN", " 12", "12.", ".5", "12,50", "0x10", "", "--1"])
def test_decimals_are_written_plainly(spelling: str) -> None:
    with pytest.raises(ValidationError) as caught:
        parse_decimal(spelling, "price")
    assert caught.value.field == "price"
    with pytest.raises(ValidationError):
        parse_amount(spelling, "EUR", "price")


@pytest.mark.parametrize(("given", "expected"), [
    ("12.50", Decimal("12.50")), ("-3", Decimal(-3)), (7, Decimal(7)),
    (Decimal("1E+1"), Decimal(10))])
def test_plain_decimals_are_read(given: object, expected: Decimal) -> None:
    assert parse_decimal(given, "x") == expected


def test_decimals_are_shown_plainly() -> None:
    assert str(plain(Decimal("1E+1"))) == "10"
    assert str(plain(Decimal("20.0000"))) == "20"
    assert str(plain(Decimal("5.5000"))) == "5.5"
    assert str(plain(Decimal("0.0000"))) == "0"


def test_skus_keep_their_case_and_match_without_it() -> None:
    assert own_sku(["tshirt-red-m", "MUG-01"], "TSHIRT-RED-M") == "tshirt-red-m"
    assert own_sku(["tshirt-red-m"], "CUP-01") == "CUP-01"


def test_a_sales_channel_has_one_spelling() -> None:
    assert sales_channel("WEB") == sales_channel("web") == "web"


def test_raw_json_is_walked_with_paths_keys_included() -> None:
    found = text_problems({"customer": {"name": "a\u0000"}, "flags": ["vip\u009b"],
                           "k\u202e": 1})
    assert [path for path, _ in found] == ["customer.name", "flags.0", "k\u202e"]
