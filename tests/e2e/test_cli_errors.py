"""The command line's errors (CONTRACT §3): one line on standard error, 2 for bad usage, 1
for a failure, never a class name, a box or SQL; and `omsbot db backup FILE`."""

from __future__ import annotations

import asyncio
import sqlite3
import sys
from pathlib import Path

import pytest

from bot.bootstrap import Core
from tests.catalog import order_command, small_shop
from tests.e2e.processes import omsbot_env, run_cli

BOXES = "╭│╰"


def _one_line(err: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert not any(ch in err for ch in BOXES) and "Error:" not in err
    assert "[SQL" not in err and "sqlalchemy" not in err.lower()
    return lines[0]


@pytest.mark.parametrize(("args", "expected"), [
    (("import", "orders"), "omsbot: import orders: Missing argument 'file'. "
                           "(see `omsbot import orders --help`)"),
    (("bogus",), "omsbot: No such command 'bogus'. (see `omsbot --help`)"),
    (("jobs", "run", "tidy-up"), "omsbot: jobs run: Invalid value for NAME: 'tidy-up'"),
    (("fx", "set", "usd", "0.92", "--date", "2026-02-30"),
     "omsbot: fx set: Invalid value for '--date': 2026-02-30 is not a date; write YYYY-MM-DD. "
     "(see `omsbot fx set --help`)"),
])
async def test_bad_usage_is_one_line_and_status_2(tmp_path: Path, args: tuple[str, ...],
                                                  expected: str) -> None:
    code, _, err = await run_cli(f"sqlite+aiosqlite:///{tmp_path / 'x.db'}", tmp_path, *args)
    assert code == 2
    assert _one_line(err).startswith(expected)


async def test_a_database_never_migrated_says_to_upgrade_first(tmp_path: Path) -> None:
    code, out, err = await run_cli(f"sqlite+aiosqlite:///{tmp_path / 'new.db'}", tmp_path,
                                   "apikey", "create", "shop")
    assert (code, out) == (1, "")
    assert _one_line(err) == "omsbot: the database has not been set up: run `omsbot db " \
                             "upgrade` first"


async def test_a_bad_setting_is_one_line_and_status_1(tmp_path: Path) -> None:
    env = omsbot_env(f"sqlite+aiosqlite:///{tmp_path / 'x.db'}", OMSBOT_UNPAID_HOLD="24h")
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "apikey", "create", "x", cwd=tmp_path, env=env,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
    _, err = await proc.communicate()
    assert proc.returncode == 1
    assert _one_line(err.decode()) == \
        "omsbot: OMSBOT_UNPAID_HOLD: use an ISO-8601 duration such as PT24H"


async def test_db_backup_copies_sqlite_online_and_refuses_on_postgresql(
        core: Core, database_url: str, tmp_path: Path) -> None:
    await small_shop(core.bus)
    await core.bus.handle(order_command())
    target = tmp_path / "backups" / "shop.db"

    code, out, err = await run_cli(database_url, tmp_path, "db", "backup", str(target))

    if core.db.is_sqlite:
        assert code == 0, err
        assert out.startswith(f"database copied to {target}")
        copy = sqlite3.connect(target)
        assert copy.execute("SELECT count(*) FROM orders").fetchone() == (1,)
        assert copy.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        copy.close()
        again = await run_cli(database_url, tmp_path, "db", "backup", str(target))
        assert again[0] == 1 and "already exists" in _one_line(again[2])
        unwritable = await run_cli(database_url, tmp_path, "db", "backup", "/proc/shop.db")
        assert unwritable[0] == 1 and _one_line(unwritable[2]) == (
            "omsbot: cannot write the backup to /proc/shop.db: unable to open database file")
    else:
        assert code == 1
        assert _one_line(err).startswith("omsbot: on PostgreSQL use pg_dump")
        assert not target.exists()
