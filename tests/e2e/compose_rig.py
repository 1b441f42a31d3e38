"""A core whose e-mail is composed in one worker process, for the compose-process tests."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from bot.bootstrap import Core, build_core
from domain.clock import FixedClock
from tests.catalog import small_shop
from tests.conftest import make_settings

SENDER = "Bottega Demo <orders@shop.example>"


@asynccontextmanager
async def composing_core(database_url: str, clock: FixedClock) -> AsyncIterator[Core]:
    """A shop with stock, `OMSBOT_EMAIL_COMPOSE_PROCESSES=1`; closed after."""
    core = build_core(make_settings(database_url, email_from=SENDER,
                                    email_compose_processes=1), clock=clock)
    try:
        await small_shop(core.bus, stock=100)
        yield core
    finally:
        await core.close()


def children(pid: int) -> list[int]:
    """Processes whose parent is `pid` (Linux /proc)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
    return found
