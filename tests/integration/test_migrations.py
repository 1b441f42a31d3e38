"""Every migration runs up and down (the stairway), and head matches the ORM tables."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic.script import ScriptDirectory
from sqlalchemy import inspect
from sqlalchemy.ext.asyncio import create_async_engine

from storage.migrate import alembic_config, downgrade, upgrade
from storage.orm import metadata
from tests.conftest import truncate_postgres_async


def revisions(url: str) -> list[str]:
    script = ScriptDirectory.from_config(alembic_config(url))
    return [r.revision for r in reversed(list(script.walk_revisions()))]


async def tables(url: str) -> set[str]:
    engine = create_async_engine(url)
    try:
        async with engine.connect() as conn:
            names = await conn.run_sync(lambda c: set(inspect(c).get_table_names()))
    finally:
        await engine.dispose()
    return names - {"alembic_version"}


@pytest.fixture(params=["sqlite", "postgres"])
def empty_url(request: pytest.FixtureRequest, tmp_path: Path, postgres_url: str | None) -> str:
    if request.param == "sqlite":
        return f"sqlite+aiosqlite:///{tmp_path / 'stairs.db'}"
    if postgres_url is None:
        pytest.skip("OMSBOT_TEST_POSTGRES_URL is not set: PostgreSQL tests skipped")
    return postgres_url


async def test_stairway_up_and_down(empty_url: str) -> None:
    if not empty_url.startswith("sqlite"):
        await downgrade(empty_url, "base")
    assert await tables(empty_url) == set()
    previous = "base"
    for revision in revisions(empty_url):
        await upgrade(empty_url, revision)
        await downgrade(empty_url, previous)
        await upgrade(empty_url, revision)
        previous = revision
    assert await tables(empty_url) == set(metadata.tables)
    if not empty_url.startswith("sqlite"):
        await truncate_postgres_async(empty_url)
