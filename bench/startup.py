"""Start-up: seconds from `omsbot run` being spawned to `/readyz` answering 200.

Runs a real `python -m bot run` on a migrated SQLite file several times and prints the
median and worst time to ready, without Telegram or Slack configured (the goal: < 2 s),
then with a Telegram token pointed at a closed port, to show what importing aiogram adds
when the channel is on. Beside it, the bare wall time of `python -c "import aiohttp.web"` (the
interpreter and our web server library, which any HTTP service pays) as the reference.

    python bench/startup.py [--runs 5]
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path[0] = str(Path(__file__).resolve().parents[1])

import argparse
import asyncio
import os
import statistics
import tempfile
import time

from bench.common import fresh_database
from tests.e2e.processes import free_port, omsbot_server

GOAL_SECONDS = 2.0


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds the process has used so far (Linux /proc, man 5 proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


async def time_to_ready(url: str, workdir: Path, **extra: str) -> tuple[float, float]:
    """(wall seconds, CPU seconds of the omsbot process) until /readyz answered 200."""
    started = time.perf_counter()
    async with omsbot_server(url, workdir, ready_path="/readyz", timeout=90, **extra) as server:
        return time.perf_counter() - started, cpu_seconds(server.process.pid)


async def bare_import() -> float:
    started = time.perf_counter()
    proc = await asyncio.create_subprocess_exec(sys.executable, "-c", "import aiohttp.web")
    await proc.wait()
    return time.perf_counter() - started


def line(label: str, runs: list[tuple[float, float]], goal: float | None = None) -> str:
    """Wall time is what a user waits; CPU time is what the start-up itself costs, and
    stays meaningful when other work shares the machine (then wall time is inflated)."""
    wall = [w for w, _ in runs]
    cpu = [c for _, c in runs]
    verdict = ""
    if goal is not None:
        verdict = "  goal < {:.0f} s: {}".format(
            goal, "met" if max(wall) < goal else "NOT met (wall)")
    return (f"{label:<58} wall median {statistics.median(wall):5.2f} s worst "
            f"{max(wall):5.2f} s  CPU median {statistics.median(cpu):5.2f} s{verdict}")


async def run(runs: int) -> list[str]:
    closed = f"http://127.0.0.1:{free_port()}"
    plain: list[tuple[float, float]] = []
    telegram: list[tuple[float, float]] = []
    bare: list[float] = []
    with tempfile.TemporaryDirectory() as tmp:
        async with fresh_database("sqlite") as url:
            await time_to_ready(url, Path(tmp))  # first run warms the OS file cache
            for _ in range(runs):
                bare.append(await bare_import())  # wall only: the child has exited
                plain.append(await time_to_ready(url, Path(tmp)))
                telegram.append(await time_to_ready(
                    url, Path(tmp), OMSBOT_TELEGRAM_TOKEN="123456:bench-token",
                    OMSBOT_TELEGRAM_API_URL=closed))
    return [
        line("python -c 'import aiohttp.web' (reference)", [(b, b) for b in bare]),
        line("omsbot run → /readyz 200, no Telegram/Slack", plain, GOAL_SECONDS),
        line("omsbot run → /readyz 200, Telegram configured (port closed)", telegram),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    for text in asyncio.run(run(args.runs)):
        print(text, flush=True)


if __name__ == "__main__":
    main()
