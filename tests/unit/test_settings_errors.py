"""Settings (CONTRACT §2): a bad value is one line naming the variable, what is wrong and a
good example; unknown OMSBOT_* names are warned about; the public URL follows the port."""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.settings import ConfigError, Settings, load_settings
from bot.settings_errors import iso_duration, unknown_names


@pytest.fixture(autouse=True)
def _clean_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.chdir(tmp_path)  # no .env from the developer's folder
    for name in [n for n in os.environ if n.startswith("OMSBOT_")]:
        monkeypatch.delenv(name)


@pytest.mark.parametrize(("variable", "value", "line"), [
    ("OMSBOT_UNPAID_HOLD", "24h", "OMSBOT_UNPAID_HOLD: use an ISO-8601 duration such as PT24H"),
    ("OMSBOT_RETURN_WINDOW", "a month", "OMSBOT_RETURN_WINDOW: use an ISO-8601 duration such "
                                        "as P30D"),
    ("OMSBOT_JOBS_ENABLED", "maybe", "OMSBOT_JOBS_ENABLED: use true or false"),
    ("OMSBOT_DB_PING_AFTER_IDLE", "5", "OMSBOT_DB_PING_AFTER_IDLE: use an ISO-8601 duration "
                                       "such as PT5S"),
    ("OMSBOT_DB_PING_AFTER_IDLE", "PT0S", "OMSBOT_DB_PING_AFTER_IDLE: must be a positive "
                                          "ISO-8601 duration such as P3D or PT24H"),
    ("OMSBOT_HTTP_PORT", "70000", "OMSBOT_HTTP_PORT: Input should be less than or equal to "
                                  "65535; for example 8080"),
])
def test_a_bad_value_is_one_line_with_an_example(monkeypatch: pytest.MonkeyPatch, variable: str,
                                                 value: str, line: str) -> None:
    monkeypatch.setenv(variable, value)
    with pytest.raises(ConfigError) as problem:
        load_settings()
    assert str(problem.value) == line


@pytest.mark.parametrize("value", ["notanemail", "Shop <orders@>", "Shop <@shop.example>",
                                   "orders@shop..example"])
def test_email_from_must_be_an_address(monkeypatch: pytest.MonkeyPatch, value: str) -> None:
    monkeypatch.setenv("OMSBOT_EMAIL_FROM", value)
    with pytest.raises(ConfigError, match=r"^OMSBOT_EMAIL_FROM: .*such as Shop <orders@shop"):
        load_settings()


@pytest.mark.parametrize("value", ["Shop <orders@localhost>", "orders@shop.example",
                                   '"Caffè Rossi" <ordini@caffe-rossi.it>'])
def test_email_from_takes_a_name_and_an_address(monkeypatch: pytest.MonkeyPatch,
                                                value: str) -> None:
    monkeypatch.setenv("OMSBOT_EMAIL_FROM", value)
    assert load_settings().email_from == value


def test_an_unknown_name_is_warned_about_with_the_closest_setting(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    monkeypatch.setenv("OMSBOT_HTTP_PROT", "9000")
    (tmp_path / ".env").write_text("export OMSBOT_UNPAID_HOLDS=PT2H\nOMSBOT_TIMEZONE=UTC\n")
    monkeypatch.setenv("OMSBOT_TEST_POSTGRES_URL", "postgresql+asyncpg://x/y")  # the tests'

    load_settings()

    assert [r.getMessage() for r in caplog.records] == [
        "OMSBOT_HTTP_PROT is not an omsbot setting and is ignored; did you mean "
        "OMSBOT_HTTP_PORT?",
        "OMSBOT_UNPAID_HOLDS is not an omsbot setting and is ignored; did you mean "
        "OMSBOT_UNPAID_HOLD?"]


def test_a_setting_added_later_is_known_by_its_field() -> None:
    names = list(Settings.model_fields)
    assert unknown_names(names, None, {f"OMSBOT_{n.upper()}": "" for n in names}) == []


def test_the_public_url_follows_host_and_port(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OMSBOT_HTTP_PORT", "9090")
    assert load_settings().public_url == "http://127.0.0.1:9090"
    monkeypatch.setenv("OMSBOT_PUBLIC_URL", "https://shop.example")
    assert load_settings().public_url == "https://shop.example"


@pytest.mark.parametrize(("value", "text"), [
    (timedelta(hours=24), "PT24H"), (timedelta(days=3), "P3D"), (timedelta(minutes=15), "PT15M"),
    (timedelta(hours=1, minutes=30), "PT1H30M"), (timedelta(days=30), "P30D")])
def test_iso_durations_read_as_people_write_them(value: timedelta, text: str) -> None:
    assert iso_duration(value) == text


@given(st.integers(min_value=1, max_value=400 * 86400))
def test_an_iso_example_is_accepted_back_as_the_same_duration(seconds: int) -> None:
    text = iso_duration(timedelta(seconds=seconds))
    parsed = Settings(unpaid_hold=text, _env_file=None)  # type: ignore[call-arg]
    assert parsed.unpaid_hold == timedelta(seconds=seconds)


@pytest.mark.parametrize(("after", "hold"), [("PT24H", "PT24H"), ("P2D", "PT24H"),
                                             ("PT2H", "PT1H")])
def test_a_reminder_that_could_never_be_sent_is_refused(
        monkeypatch: pytest.MonkeyPatch, after: str, hold: str) -> None:
    monkeypatch.setenv("OMSBOT_PAYMENT_REMINDER_AFTER", after)
    monkeypatch.setenv("OMSBOT_UNPAID_HOLD", hold)
    with pytest.raises(ConfigError) as caught:
        load_settings()
    message = str(caught.value)
    assert message.startswith("OMSBOT_PAYMENT_REMINDER_AFTER: must be shorter than "
                              f"OMSBOT_UNPAID_HOLD ({hold})")
    assert "\n" not in message


def test_a_reminder_before_the_hold_is_taken(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OMSBOT_PAYMENT_REMINDER_AFTER", "PT2H")
    monkeypatch.setenv("OMSBOT_UNPAID_HOLD", "PT3H")
    settings = load_settings()
    assert settings.payment_reminder_after < settings.unpaid_hold


def test_the_idle_ping_threshold_is_read_from_its_variable(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OMSBOT_DB_PING_AFTER_IDLE", "PT30S")
    assert load_settings().db_ping_after_idle == timedelta(seconds=30)
