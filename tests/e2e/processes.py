"""Start real `omsbot run` processes for tests, on free ports, and stop them."""

from __future__ import annotations

import asyncio
import os
import socket
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import aiohttp

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def omsbot_env(database_url: str, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("OMSBOT_")}
    env.update({"OMSBOT_DATABASE_URL": database_url, "OMSBOT_SECRET_KEY": "test-secret",
                "PYTHONPATH": str(ROOT)})
    env.update(extra)
    return env


@asynccontextmanager
async def omsbot_process(database_url: str, workdir: Path, **extra: str
                         ) -> AsyncIterator[str]:
    """Run `python -m bot run`; yields its base URL once /healthz answers."""
    port = free_port()
    env = omsbot_env(database_url, OMSBOT_HTTP_PORT=str(port), **extra)
    log = (workdir / f"omsbot-{port}.log").open("wb")
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "run", cwd=workdir, env=env, stdout=log,
        stderr=asyncio.subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        async with aiohttp.ClientSession() as http:
            for _ in range(1200):  # up to a minute: start-up is slow on a loaded machine
                if proc.returncode is not None:
                    raise RuntimeError(f"omsbot exited: {(workdir / log.name).read_text()}")
                try:
                    async with http.get(base + "/healthz") as resp:
                        if resp.status == 200:
                            break
                except aiohttp.ClientError:
                    pass
                await asyncio.sleep(0.05)
            else:
                raise RuntimeError("omsbot did not start in time")
        yield base
    finally:
        if proc.returncode is None:
            proc.terminate()
            try:
                await asyncio.wait_for(proc.wait(), 10)
            except TimeoutError:
                proc.kill()
                await proc.wait()
        log.close()


async def run_cli(database_url: str, workdir: Path, *args: str,
                  stdin: bytes | None = None) -> tuple[int, str, str]:
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", *args, cwd=workdir, env=omsbot_env(database_url),
        stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE)
    out, err = await proc.communicate(stdin)
    assert proc.returncode is not None
    return proc.returncode, out.decode(), err.decode()
