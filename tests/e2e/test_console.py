"""`omsbot shell` fed through standard input, and `omsbot staff add`, as real processes."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from sqlalchemy import select

from bot.bootstrap import build_core
from domain.clock import FixedClock
from storage import orm
from tests.catalog import order_command, small_shop
from tests.conftest import make_settings

ROOT = Path(__file__).resolve().parents[2]


def omsbot(args: list[str], database_url: str, cwd: Path, stdin: str = ""
           ) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "OMSBOT_DATABASE_URL": database_url, "OMSBOT_SECRET_KEY": "k",
           "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-c", "from bot.cli import main; main()", *args],
                          input=stdin, capture_output=True, text=True, env=env, cwd=cwd,
                          timeout=60, check=False)


async def test_the_shell_runs_the_staff_grammar_from_stdin(
        database_url: str, clock: FixedClock, tmp_path: Path) -> None:
    core = build_core(make_settings(database_url), clock=clock)
    await small_shop(core.bus)
    await core.bus.handle(order_command())
    await core.close()
    lines = ["help", "order 1", "hold 1", "new bob@example.com MUG-01:1",
             "Bob Rossi", "Via Po 2", "Torino", "10100", "Italy", "it", "",
             "ship 99 DHL T", "bogus", "quit", "order 1"]

    done = omsbot(["shell"], database_url, tmp_path, "\n".join(lines) + "\n")

    out = done.stdout
    assert done.returncode == 0, done.stderr
    assert "Staff commands" in out and "ship N CARRIER TRACKING [eta YYYY-MM-DD]" in out
    assert "report" not in out
    assert "ORD-000001 · confirmed · €25.00" in out
    assert "put on hold ORD-000001." in out
    assert "Error: Write the two-letter country code, like IT." in out
    assert "placed ORD-000002." in out
    assert "Error: Order ORD-000099 not found" in out
    assert "Unknown command bogus." in out
    assert out.count("ORD-000001 · ") == 2  # nothing after quit
    core = build_core(make_settings(database_url), clock=clock)
    try:
        order = await core.views.order(2)
        assert order is not None
        assert (order["channel"], order["customer"]["name"]) == ("phone", "Bob Rossi")
        async with core.db.read_sessions() as s:
            actors = set(await s.scalars(select(orm.audit_log.c.actor).where(
                orm.audit_log.c.action == "order.hold")))
        assert len(actors) == 1 and next(iter(actors)).startswith("console:")
    finally:
        await core.close()


async def test_staff_add_sets_a_role(database_url: str, tmp_path: Path) -> None:
    added = omsbot(["staff", "add", "--slack-user", "U0123ABCD", "--role", "operator"],
                   database_url, tmp_path)
    again = omsbot(["staff", "add", "--slack-user", "U0123ABCD", "--role", "admin"],
                   database_url, tmp_path)
    bad_role = omsbot(["staff", "add", "--slack-user", "U0123ABCD", "--role", "boss"],
                      database_url, tmp_path)
    bad_user = omsbot(["staff", "add", "--slack-user", "ada", "--role", "viewer"],
                      database_url, tmp_path)

    assert (added.returncode, added.stdout) == (0, "U0123ABCD is now operator\n")
    assert again.stdout == "U0123ABCD is now admin (was operator)\n"
    assert bad_role.returncode == 2 and "viewer" in bad_role.stderr
    assert bad_user.returncode == 1 and "not a Slack user id" in bad_user.stderr
