"""Fixtures of the integration tests that run on SQLite only."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.bootstrap import Core, build_core
from domain.clock import FixedClock
from tests.conftest import make_settings


@pytest.fixture
async def sqlite_core(tmp_path: Path, sqlite_template: Path, clock: FixedClock
                      ) -> AsyncIterator[Core]:
    """A core on a fresh SQLite file, `tmp_path / "omsbot.db"`; closed after."""
    target = tmp_path / "omsbot.db"
    target.write_bytes(sqlite_template.read_bytes())
    core = build_core(make_settings(f"sqlite+aiosqlite:///{target}"), clock=clock)
    try:
        yield core
    finally:
        await core.close()
