"""Shared fixtures: every storage test runs on SQLite and on PostgreSQL."""

from __future__ import annotations

import asyncio
import os
import shutil
import uuid
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime
from pathlib import Path

import asyncpg
import pytest
from sqlalchemy.engine import make_url

from bot.bootstrap import Core, build_core
from bot.settings import Settings
from domain.clock import FixedClock
from storage.migrate import upgrade
from storage.orm import metadata

POSTGRES_URL = os.environ.get("OMSBOT_TEST_POSTGRES_URL")
NOW = datetime(2026, 11, 24, 10, 0, tzinfo=UTC)


def _pg_dsn(url: str) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "omsbot.db"
    asyncio.run(upgrade(f"sqlite+aiosqlite:///{path}"))
    return path


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str | None]:
    """A fresh database for this run on the shared server, dropped afterwards."""
    if not POSTGRES_URL:
        yield None
        return
    name = f"omsbot_test_{os.getpid()}_{uuid.uuid4().hex[:8]}"
    admin = _pg_dsn(POSTGRES_URL)

    async def create() -> None:
        conn = await asyncpg.connect(admin)
        try:
            await conn.execute(f'CREATE DATABASE "{name}"')
        finally:
            await conn.close()

    async def drop() -> None:
        conn = await asyncpg.connect(admin)
        try:
            await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        finally:
            await conn.close()

    asyncio.run(create())
    url = make_url(POSTGRES_URL).set(database=name).render_as_string(hide_password=False)
    asyncio.run(upgrade(url))
    try:
        yield url
    finally:
        asyncio.run(drop())


async def truncate_postgres_async(url: str) -> None:
    tables = ", ".join(f'"{t.name}"' for t in metadata.sorted_tables)
    conn = await asyncpg.connect(_pg_dsn(url))
    try:
        await conn.execute(f"TRUNCATE {tables} RESTART IDENTITY CASCADE")
    finally:
        await conn.close()


def truncate_postgres(url: str) -> None:
    asyncio.run(truncate_postgres_async(url))


@pytest.fixture(params=["sqlite", "postgres"])
def database_url(
    request: pytest.FixtureRequest, tmp_path: Path, sqlite_template: Path,
    postgres_url: str | None,
) -> str:
    if request.param == "sqlite":
        target = tmp_path / "omsbot.db"
        shutil.copy(sqlite_template, target)
        return f"sqlite+aiosqlite:///{target}"
    if postgres_url is None:
        pytest.skip("OMSBOT_TEST_POSTGRES_URL is not set: PostgreSQL tests skipped")
    truncate_postgres(postgres_url)
    return postgres_url


def make_settings(database_url: str, **overrides: object) -> Settings:
    values: dict[str, object] = {"database_url": database_url, "secret_key": "test-secret",
                                 "_env_file": None}
    values.update(overrides)
    return Settings(**values)  # type: ignore[arg-type]


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(NOW)


@pytest.fixture
async def core(database_url: str, clock: FixedClock) -> AsyncIterator[Core]:
    core = build_core(make_settings(database_url), clock=clock)
    try:
        yield core
    finally:
        await core.close()
