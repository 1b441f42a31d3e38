"""Start real `omsbot run` processes for tests, on free ports, and stop them."""

from __future__ import annotations

import asyncio
import os
import socket
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
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


@dataclass
class Server:
    """A running `omsbot run`: its base URL, process and log file."""

    base: str
    process: asyncio.subprocess.Process
    log: Path

    def output(self) -> str:
        return self.log.read_text(errors="replace")


@asynccontextmanager
async def omsbot_server(database_url: str, workdir: Path, *, ready_path: str = "/healthz",
                        timeout: float = 180.0, **extra: str) -> AsyncIterator[Server]:
    """Run `python -m bot run` until `ready_path` answers 200; stops it (SIGTERM) after."""
    port = free_port()
    env = omsbot_env(database_url, OMSBOT_HTTP_PORT=str(port), **extra)
    log_path = workdir / f"omsbot-{port}.log"
    log = log_path.open("wb")
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "run", cwd=workdir, env=env, stdout=log,
        stderr=asyncio.subprocess.STDOUT)
    server = Server(f"http://127.0.0.1:{port}", proc, log_path)
    try:
        await _wait_until_ready(server, ready_path, timeout)
        yield server
    finally:
        if proc.returncode is None:
            proc.terminate()
            try:
                await asyncio.wait_for(proc.wait(), 30)
            except TimeoutError:
                proc.kill()
                await proc.wait()
        log.close()


async def _wait_until_ready(server: Server, path: str, timeout: float) -> None:
    deadline = asyncio.get_running_loop().time() + timeout
    async with aiohttp.ClientSession() as http:
        while asyncio.get_running_loop().time() < deadline:
            if server.process.returncode is not None:
                raise RuntimeError(f"omsbot exited: {server.output()}")
            try:
                async with http.get(server.base + path) as resp:
                    if resp.status == 200:
                        return
            except aiohttp.ClientError:
                pass
            await asyncio.sleep(0.05)
    raise RuntimeError(f"omsbot did not start in time: {server.output()}")


@asynccontextmanager
async def omsbot_process(database_url: str, workdir: Path, **extra: str
                         ) -> AsyncIterator[str]:
    """Run `python -m bot run`; yields its base URL once /healthz answers."""
    async with omsbot_server(database_url, workdir, **extra) as server:
        yield server.base


async def run_cli(database_url: str, workdir: Path, *args: str,
                  stdin: bytes | None = None) -> tuple[int, str, str]:
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", *args, cwd=workdir, env=omsbot_env(database_url),
        stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE)
    out, err = await proc.communicate(stdin)
    assert proc.returncode is not None
    return proc.returncode, out.decode(), err.decode()
