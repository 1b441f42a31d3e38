"""Money, warehouse routing and settings: pure rules, no I/O."""

from __future__ import annotations

from decimal import Decimal

import pytest

from bot.settings import ConfigError, load_settings
from domain.errors import InsufficientStock, ValidationError
from domain.inventory.model import Warehouse
from domain.inventory.routing import Allocation, Destination, plan_allocation
from domain.money import minor_units, parse_amount, quantize


def test_minor_units_follow_iso_4217() -> None:
    assert (minor_units("EUR"), minor_units("JPY"), minor_units("KWD")) == (2, 0, 3)
    assert quantize(Decimal("1.005"), "EUR") == Decimal("1.00")  # banker's rounding
    assert quantize(Decimal("1.5"), "JPY") == Decimal("2")


def test_parse_amount_refuses_floats_and_extra_decimals() -> None:
    assert parse_amount("12.50", "EUR", "price") == Decimal("12.50")
    with pytest.raises(ValidationError, match="decimal string"):
        parse_amount(12.5, "EUR", "price")
    with pytest.raises(ValidationError, match="at most 0 decimal"):
        parse_amount("100.5", "JPY", "price")
    with pytest.raises(ValidationError, match="negative"):
        parse_amount("-1", "EUR", "price")
    with pytest.raises(ValidationError):
        parse_amount("NaN", "EUR", "price")


WAREHOUSES = [
    Warehouse("MIL", "Milano", "IT", "20100", 45.46, 9.19, priority=30),
    Warehouse("ROM", "Roma", "IT", "00100", 41.90, 12.50, priority=20),
    Warehouse("MUC", "Munich", "DE", "80331", 48.14, 11.58, priority=10),
]


def test_nearest_then_country_then_priority() -> None:
    stock = {(w.code, "A"): 5 for w in WAREHOUSES}
    near_milan = Destination("IT", "20121", 45.47, 9.18)
    assert plan_allocation({"A": 1}, stock, WAREHOUSES, near_milan) == [
        Allocation("MIL", "A", 1)]
    assert plan_allocation({"A": 1}, stock, WAREHOUSES, Destination("IT"))[0].warehouse == "ROM"
    assert plan_allocation({"A": 1}, stock, WAREHOUSES, Destination("FR"))[0].warehouse == "MUC"


def test_one_warehouse_preferred_over_a_nearer_split() -> None:
    stock = {("MIL", "A"): 5, ("ROM", "A"): 5, ("ROM", "B"): 5}
    plan = plan_allocation({"A": 2, "B": 1}, stock, WAREHOUSES,
                           Destination("IT", lat=45.47, lon=9.18))
    assert {a.warehouse for a in plan} == {"ROM"}


def test_split_uses_fewest_shipments_and_covers_everything() -> None:
    stock = {("MIL", "A"): 3, ("ROM", "A"): 4, ("MUC", "B"): 2}
    plan = plan_allocation({"A": 6, "B": 2}, stock, WAREHOUSES, Destination("IT"))
    assert sum(a.quantity for a in plan if a.sku == "A") == 6
    assert sum(a.quantity for a in plan if a.sku == "B") == 2
    assert all(a.quantity <= stock[(a.warehouse, a.sku)] for a in plan)


def test_shortage_lists_every_short_sku() -> None:
    with pytest.raises(InsufficientStock) as caught:
        plan_allocation({"A": 9, "B": 1}, {("MIL", "A"): 3}, WAREHOUSES, Destination("IT"))
    assert [(s.sku, s.requested, s.available) for s in caught.value.shortages] == [
        ("A", 9, 3), ("B", 1, 0)]


@pytest.mark.parametrize(("name", "value", "message"), [
    ("OMSBOT_HTTP_PORT", "eighty", "OMSBOT_HTTP_PORT: Input should be a valid integer"),
    ("OMSBOT_BASE_CURRENCY", "EURO", "OMSBOT_BASE_CURRENCY: 'EURO' is not an ISO 4217"),
    ("OMSBOT_TIMEZONE", "Mars/Olympus", "OMSBOT_TIMEZONE: 'Mars/Olympus' is not an IANA"),
    ("OMSBOT_UNPAID_HOLD", "-PT1H", "OMSBOT_UNPAID_HOLD:"),
    ("OMSBOT_DATABASE_URL", "mysql://x", "OMSBOT_DATABASE_URL: use sqlite+aiosqlite"),
    ("OMSBOT_SMTP_URL", "http://mail", "OMSBOT_SMTP_URL: use smtp://"),
    ("OMSBOT_DEFAULT_LOCALE", "fr", "OMSBOT_DEFAULT_LOCALE: must be en or it"),
])
def test_a_bad_setting_names_the_variable(
    monkeypatch: pytest.MonkeyPatch, name: str, value: str, message: str
) -> None:
    monkeypatch.setenv(name, value)
    with pytest.raises(ConfigError) as caught:
        load_settings(_env_file=None)
    assert str(caught.value).startswith(message)
    assert "\n" not in str(caught.value)


def test_defaults_and_durations(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OMSBOT_REVIEW_REQUEST_AFTER", "P5D")
    settings = load_settings(_env_file=None)
    assert settings.review_request_after.days == 5
    assert settings.unpaid_hold.total_seconds() == 24 * 3600
    assert settings.database_url == "sqlite+aiosqlite:///var/omsbot.db"
    assert settings.reply_domain == "localhost"


def test_secret_key_is_generated_once(monkeypatch: pytest.MonkeyPatch, tmp_path: object) -> None:
    monkeypatch.chdir(tmp_path)  # type: ignore[arg-type]
    first = load_settings(_env_file=None).secret()
    again = load_settings(_env_file=None).secret()
    assert first == again and len(first) >= 40
    from pathlib import Path

    key_file = Path("var/secret.key")
    assert key_file.stat().st_mode & 0o777 == 0o600
    monkeypatch.setenv("OMSBOT_SECRET_KEY", "configured")
    assert load_settings(_env_file=None).secret() == b"configured"
