"""Configuration from OMSBOT_* environment variables or a .env file (CONTRACT §2)."""

from __future__ import annotations

import os
import secrets
from datetime import timedelta
from pathlib import Path
from typing import Annotated, Any, Literal
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import AfterValidator, Field, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from bot.settings_errors import check_mailbox, explain, iso_duration, warn_unknown
from channels.i18n import Catalogues
from domain.money import CURRENCIES

VAR_DIR = Path("var")
SECRET_FILE = VAR_DIR / "secret.key"


def _positive(value: timedelta) -> timedelta:
    if value <= timedelta(0):
        raise ValueError("must be a positive ISO-8601 duration such as P3D or PT24H")
    return value


PositiveDuration = Annotated[timedelta, AfterValidator(_positive)]


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="OMSBOT_", env_file=".env", extra="ignore", frozen=True
    )

    database_url: str = f"sqlite+aiosqlite:///{VAR_DIR}/omsbot.db"
    http_host: str = "127.0.0.1"
    http_port: int = Field(default=8080, ge=0, le=65535)
    public_url: str = "http://127.0.0.1:8080"  # unset: follows HTTP host and port
    secret_key: str | None = None
    base_currency: str = "EUR"
    timezone: str = "UTC"
    default_locale: str = "en"
    staff_locale: str = "en"

    telegram_token: str | None = None
    telegram_api_url: str = "https://api.telegram.org"
    telegram_webhook_secret: str | None = None

    slack_bot_token: str | None = None
    slack_signing_secret: str | None = None
    slack_app_token: str | None = None
    slack_api_url: str = "https://slack.com/api/"
    slack_alerts_channel: str | None = None

    smtp_url: str | None = None
    email_from: str = "Shop <orders@localhost>"
    email_reply_domain: str | None = None
    inbound_smtp_port: int | None = Field(default=None, ge=0, le=65535)
    # Largest inbound e-mail read; larger ones are refused politely and staff are told.
    inbound_max_bytes: int = Field(default=25 * 1024 * 1024, ge=64 * 1024)
    # Where customers send returns; unset: the warehouse the order shipped from.
    return_address: str | None = None

    review_request_after: PositiveDuration = timedelta(days=3)
    unpaid_hold: PositiveDuration = timedelta(hours=24)
    return_window: PositiveDuration = timedelta(days=30)
    payment_reminder_after: PositiveDuration = timedelta(hours=12)
    prices_include_tax: bool = True  # EU habit: line prices include VAT

    # scheduled jobs (bot/scheduler.py); every omsbot process may run them, safely
    jobs_enabled: bool = True
    # Off: this process takes orders but leaves delivery to other processes (scale-out).
    delivery_enabled: bool = True
    # Processes composing e-mails beside the event loop (0: composed on it); one when the
    # machine has a second core to run it on.
    email_compose_processes: int = Field(
        default_factory=lambda: 1 if (os.cpu_count() or 1) > 1 else 0, ge=0, le=8)
    # PostgreSQL: a pooled connection idle longer than this is pinged before use (one in
    # steady use is not: a dead one fails its statement and the unit of work runs again).
    db_ping_after_idle: PositiveDuration = timedelta(seconds=5)
    # A claimed notification whose process died is delivered by another after this long.
    delivery_lease: PositiveDuration = timedelta(minutes=5)
    job_low_stock_interval: PositiveDuration = timedelta(minutes=15)
    job_delays_interval: PositiveDuration = timedelta(minutes=15)
    job_review_requests_interval: PositiveDuration = timedelta(hours=1)
    job_expire_unpaid_interval: PositiveDuration = timedelta(minutes=10)
    job_payment_reminders_interval: PositiveDuration = timedelta(minutes=10)
    daily_report_at: str = "08:00"  # HH:MM in OMSBOT_TIMEZONE
    log_format: Literal["text", "json"] = "text"

    @model_validator(mode="before")
    @classmethod
    def _public_url_follows_the_port(cls, data: Any) -> Any:
        if isinstance(data, dict) and not data.get("public_url"):
            host = data.get("http_host") or cls.model_fields["http_host"].default
            port = data.get("http_port") or cls.model_fields["http_port"].default
            data = {**data, "public_url": f"http://{host}:{port}"}
        return data

    @field_validator("email_from")
    @classmethod
    def _email_from(cls, value: str) -> str:
        check_mailbox(value)
        return value

    @field_validator("database_url")
    @classmethod
    def _database_url(cls, value: str) -> str:
        if not value.startswith(("sqlite+aiosqlite://", "postgresql+asyncpg://")):
            raise ValueError("use sqlite+aiosqlite:///PATH or postgresql+asyncpg://USER@HOST/DB")
        return value

    @field_validator("public_url", "telegram_api_url", "slack_api_url")
    @classmethod
    def _http_url(cls, value: str) -> str:
        parts = urlsplit(value)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise ValueError(f"{value!r} is not an http(s) URL")
        return value

    @field_validator("slack_api_url")
    @classmethod
    def _slack_api_url(cls, value: str) -> str:
        return value if value.endswith("/") else value + "/"

    @field_validator("base_currency")
    @classmethod
    def _currency(cls, value: str) -> str:
        if value not in CURRENCIES:
            raise ValueError(f"{value!r} is not an ISO 4217 currency code")
        return value

    @field_validator("timezone")
    @classmethod
    def _timezone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"{value!r} is not an IANA time zone such as Europe/Rome") from None
        return value

    @field_validator("daily_report_at")
    @classmethod
    def _daily_report_at(cls, value: str) -> str:
        hours, _, minutes = value.strip().partition(":")
        if not (hours.isdigit() and minutes.isdigit() and len(minutes) == 2
                and int(hours) < 24 and int(minutes) < 60):
            raise ValueError(f"{value!r} is not a time of day such as 08:00")
        return f"{int(hours):02d}:{minutes}"

    @field_validator("default_locale", "staff_locale")
    @classmethod
    def _locale(cls, value: str) -> str:
        shipped = Catalogues().languages
        language = value.strip().replace("-", "_").split("_", 1)[0].lower()
        if language not in shipped:
            raise ValueError(f"use a language we ship: {', '.join(shipped)} (such as en)")
        return language

    @field_validator("smtp_url")
    @classmethod
    def _smtp_url(cls, value: str | None) -> str | None:
        if value is None:
            return None
        parts = urlsplit(value)
        if parts.scheme not in ("smtp", "smtps") or not parts.hostname:
            raise ValueError("use smtp://user:pass@host:port or smtps://…")
        return value

    @field_validator("slack_bot_token")
    @classmethod
    def _slack_token(cls, value: str | None) -> str | None:
        if value is not None and not value.startswith("xoxb-"):
            raise ValueError("a bot token starts with xoxb-")
        return value

    @field_validator("slack_app_token")
    @classmethod
    def _slack_app_token(cls, value: str | None) -> str | None:
        if value is not None and not value.startswith("xapp-"):
            raise ValueError("an app-level token starts with xapp-")
        return value

    # ---- derived -----------------------------------------------------------------------
    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def reply_domain(self) -> str:
        if self.email_reply_domain:
            return self.email_reply_domain
        address = self.email_from.rsplit("<", 1)[-1].rstrip(">").strip()
        return address.rpartition("@")[2] or "localhost"

    def secret(self) -> bytes:
        """The HMAC key: configured, or generated once into var/secret.key."""
        if self.secret_key:
            return self.secret_key.encode()
        if SECRET_FILE.exists():
            return SECRET_FILE.read_text().strip().encode()
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        key = secrets.token_urlsafe(48)
        SECRET_FILE.write_text(key + "\n")
        SECRET_FILE.chmod(0o600)
        return key.encode()


class ConfigError(Exception):
    """One line naming the variable and what is wrong."""


def load_settings(**overrides: Any) -> Settings:
    """Settings from the environment and .env; raises ConfigError (one line naming the
    variable, what is wrong and an example) and warns about unknown OMSBOT_* names."""
    try:
        settings = Settings(**overrides)
    except ValidationError as exc:
        raise ConfigError(explain(exc.errors()[0], Settings.model_fields)) from None
    warn_unknown(Settings.model_fields)
    if settings.slack_bot_token and not settings.slack_app_token and \
            not settings.slack_signing_secret:
        raise ConfigError("OMSBOT_SLACK_SIGNING_SECRET: required when Slack runs in HTTP mode")
    _check_reminder_before_hold(settings)
    return settings


def _check_reminder_before_hold(settings: Settings) -> None:
    """A reminder is due between OMSBOT_PAYMENT_REMINDER_AFTER and OMSBOT_UNPAID_HOLD
    (domain/accounting/reminders.py): at or past the hold, no order would ever get one."""
    hold, after = settings.unpaid_hold, settings.payment_reminder_after
    if after >= hold:
        raise ConfigError(
            f"OMSBOT_PAYMENT_REMINDER_AFTER: must be shorter than OMSBOT_UNPAID_HOLD "
            f"({iso_duration(hold)}), or unpaid orders are cancelled before any reminder; "
            f"such as {iso_duration(hold / 2)}")
