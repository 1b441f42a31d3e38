"""Staff from the command line: `omsbot staff add` and `omsbot shell`."""

from __future__ import annotations

import asyncio
import contextlib
import getpass
import os
import sys
from typing import TYPE_CHECKING

from aiohttp import web

from bot.bootstrap import Core
from bot.settings import VAR_DIR
from bot.slack import build_staff_service, build_staff_talk
from channels.console.shell import Console, ReadLine
from channels.staff_render import staff_environment
from channels.staff_replies import StaffUser
from domain.messagebus import Actor
from domain.staff.commands import SetStaffRole, StaffRoleSet
from domain.staff.model import Role

if TYPE_CHECKING:
    from bot.runtime import Service

HISTORY_FILE = VAR_DIR / "shell_history"


async def add_staff(core: Core, slack_user: str, role: Role) -> str:
    result: StaffRoleSet = await core.bus.handle(
        SetStaffRole(slack_user.strip().lstrip("@"), role), Actor("cli", "cli"))
    if not result.changed:
        return f"{result.user_id} is already {result.role.value}"
    was = f" (was {result.previous.value})" if result.previous else ""
    return f"{result.user_id} is now {result.role.value}{was}"


def local_admin() -> StaffUser:
    name = getpass.getuser()
    return StaffUser("console", Role.ADMIN, Actor(f"console:{name}", "console"), name)


async def run_shell(core: Core) -> None:
    """The console on this terminal (line editing and history), or on piped standard input."""
    service = build_staff_service(core)
    console = Console(service, staff_environment(), local_admin(),
                      _terminal_reader() if sys.stdin.isatty() else _pipe_reader(), _write,
                      files_dir=VAR_DIR / "reports",
                      talk=build_staff_talk(core, service, "console", ""))
    await console.run()


def _in_foreground_terminal() -> bool:
    """A terminal on both ends, and ours: `make run &` must not read the terminal (the
    kernel would stop the whole server with SIGTTIN)."""
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        return False
    try:
        return os.tcgetpgrp(sys.stdin.fileno()) == os.getpgrp()
    except OSError:
        return False


def console_services(core: Core, app: web.Application) -> list[Service]:
    """`omsbot run` on a terminal also answers the staff console there (logs print above
    the prompt). Leaving the console (quit, Ctrl-D) leaves the server running."""
    from prompt_toolkit.patch_stdout import patch_stdout

    from bot.runtime import Service

    if not _in_foreground_terminal():
        return []
    tasks: list[asyncio.Task[None]] = []

    async def console() -> None:
        with patch_stdout(raw=True):
            await run_shell(core)

    async def start() -> None:
        tasks.append(asyncio.create_task(console(), name="staff-console"))

    async def stop() -> None:
        for task in tasks:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    return [Service("staff-console", start, stop)]


def _write(text: str) -> None:
    print(text, flush=True)


def _pipe_reader() -> ReadLine:
    async def read(prompt: str) -> str | None:
        line = await asyncio.to_thread(sys.stdin.readline)
        return line.rstrip("\n") if line else None

    return read


def _terminal_reader() -> ReadLine:
    from prompt_toolkit import PromptSession
    from prompt_toolkit.history import FileHistory

    VAR_DIR.mkdir(parents=True, exist_ok=True)
    session: PromptSession[str] = PromptSession(history=FileHistory(str(HISTORY_FILE)))

    async def read(prompt: str) -> str | None:
        while True:
            try:
                return await session.prompt_async(prompt)
            except KeyboardInterrupt:
                continue  # Ctrl-C drops the line, as in a shell
            except EOFError:
                return None

    return read
