"""`omsbot jobs run NAME` as an operator types it (a real subprocess on both databases)."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.bootstrap import Core
from domain.clock import FixedClock
from tests.catalog import order_command, small_shop

ROOT = Path(__file__).resolve().parents[2]


def omsbot(database_url: str, cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "OMSBOT_DATABASE_URL": database_url, "OMSBOT_SECRET_KEY": "k",
           "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-c", "from bot.cli import main; main()", *args],
                          cwd=cwd, env=env, capture_output=True, text=True, timeout=60,
                          check=False)


async def test_jobs_run_prints_what_it_did_and_twice_does_nothing(
    core: Core, clock: FixedClock, database_url: str, tmp_path: Path
) -> None:
    clock.set(datetime.now(UTC))  # the jobs run by the CLI go by the real clock
    await small_shop(core.bus)
    await core.bus.handle(order_command("W-1", lines=(("MUG-01", 96),)))
    await core.bus.handle(order_command("U-1", payment_status="pending",
                                        placed_at=datetime.now(UTC) - timedelta(hours=30)))

    low = omsbot(database_url, tmp_path, "jobs", "run", "low-stock")
    assert low.returncode == 0, low.stderr
    assert "Low stock: MUG-01 (Mug) at MIL has 2 available" in low.stdout
    assert low.stdout.strip().endswith("low-stock: 1 effect")
    again = omsbot(database_url, tmp_path, "jobs", "run", "low-stock")
    assert again.returncode == 0 and again.stdout.strip() == "low-stock: nothing to do"

    expired = omsbot(database_url, tmp_path, "jobs", "run", "expire-unpaid")
    assert expired.returncode == 0, expired.stderr
    assert "ORD-000002: unpaid since" in expired.stdout
    view = await core.views.order(2)
    assert view is not None and view["status"] == "cancelled"


async def test_unknown_job_is_a_usage_error(database_url: str, tmp_path: Path) -> None:
    result = omsbot(database_url, tmp_path, "jobs", "run", "tidy-up")
    assert result.returncode == 2
    assert "tidy-up" in result.stderr
    for name in ("low-stock", "delays", "review-requests", "expire-unpaid", "daily-report"):
        assert name in result.stderr


async def test_every_job_runs_in_a_fresh_process(database_url: str, tmp_path: Path) -> None:
    for name in ("delays", "review-requests", "daily-report", "expire-unpaid", "low-stock"):
        result = omsbot(database_url, tmp_path, "jobs", "run", name)
        assert result.returncode == 0, (name, result.stderr)
        assert result.stdout.strip().splitlines()[-1].startswith(f"{name}: "), result.stdout
