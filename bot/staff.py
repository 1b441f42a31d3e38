"""Staff from the command line: `omsbot staff add` and `omsbot shell`."""

from __future__ import annotations

import asyncio
import contextlib
import getpass
import os
import sys

from aiohttp import web

from bot.core import Core
from bot.lifecycle import Lifecycle
from bot.services import Service
from bot.settings import VAR_DIR
from bot.web_pages import LIFECYCLE
from channels.console.shell import Console, ReadLine
from channels.people import PeopleDirectory
from channels.slack.client import build_client
from channels.slack.people import SlackPeople
from channels.staff_render import render_template, staff_environment
from channels.staff_replies import StaffUser
from channels.staff_service import StaffService
from channels.understanding.memory import CatalogueCache
from channels.understanding.model import warm_up
from channels.understanding.staff_talk import StaffTalk
from domain.messagebus import Actor
from domain.staff.commands import SetStaffRole, StaffRoleSet
from domain.staff.model import Role
from storage.conversations import SqlCatalogueNames, SqlConversations
from storage.fulfilment_views import SqlFulfilmentViews
from storage.staff import SqlStaffDirectory

HISTORY_FILE = VAR_DIR / "shell_history"


async def add_staff(core: Core, slack_user: str, role: Role) -> str:
    """What happened, in the staff's language (OMSBOT_STAFF_LOCALE): "U0123 is now admin (was
    operator)". Raises DomainError for an id that is not a Slack user id."""
    result: StaffRoleSet = await core.bus.handle(
        SetStaffRole(slack_user.strip().lstrip("@"), role), Actor("cli", "cli"))
    return render_template(staff_environment(core.settings.staff_locale), "console",
                           "staff_added", {
                               "user_id": result.user_id, "role": result.role.value,
                               "changed": result.changed,
                               "previous": result.previous.value if result.previous else None})


def local_admin() -> StaffUser:
    name = getpass.getuser()
    return StaffUser("console", Role.ADMIN, Actor(f"console:{name}", "console"), name)


def build_staff_service(core: Core, people: PeopleDirectory | None = None) -> StaffService:
    return StaffService(core.bus, core.views, SqlStaffDirectory(core.db),
                        currency=core.settings.base_currency, timezone=core.settings.timezone,
                        fulfilment=SqlFulfilmentViews(core.db), people=people,
                        locale=core.settings.staff_locale)


def slack_people(core: Core) -> PeopleDirectory | None:
    """Who `@name` is, from the workspace's member list; None while Slack is off."""
    settings = core.settings
    if not settings.slack_bot_token:
        return None
    return SlackPeople(build_client(settings.slack_bot_token, settings.slack_api_url))


def build_staff_talk(core: Core, service: StaffService, channel: str, prefix: str
                     ) -> StaffTalk:
    """Plain words for staff, remembering each chat's last order and product in the database;
    the reader is loaded in the background from now on."""
    warm_up()
    return StaffTalk(service, SqlConversations(core.db, core.clock),
                     CatalogueCache(SqlCatalogueNames(core.db)), channel=channel, prefix=prefix,
                     clock=core.clock)


async def run_shell(core: Core, lifecycle: Lifecycle | None = None) -> None:
    """The console on this terminal (line editing and history), or on piped standard input.
    Inside `omsbot run` (a `lifecycle`), Ctrl-C at the prompt stops the server."""
    reader = _terminal_reader(lifecycle) if sys.stdin.isatty() else _pipe_reader()
    service = build_staff_service(core, slack_people(core))
    console = Console(service, staff_environment(core.settings.staff_locale), local_admin(),
                      reader, _write,
                      files_dir=VAR_DIR / "reports",
                      talk=build_staff_talk(core, service, "console", ""))
    await console.run()


def console_services(core: Core, app: web.Application) -> list[Service]:
    """`omsbot run` on a terminal also answers the staff console there (logs print above
    the prompt). Leaving the console (quit, Ctrl-D) leaves the server running and says how
    to stop it; Ctrl-C, at the prompt or after, stops the server. Only for a terminal in
    the foreground (bot.bootstrap.in_foreground_terminal)."""
    lifecycle = app[LIFECYCLE]
    tasks: list[asyncio.Task[None]] = []

    async def console() -> None:
        from prompt_toolkit.patch_stdout import patch_stdout  # lazy: only on a terminal

        with patch_stdout(raw=True):
            await run_shell(core, lifecycle)
        lifecycle.install_signal_handlers()  # prompt_toolkit removed ours
        if not lifecycle.stop_requested.is_set():
            _write(f"The console is closed; omsbot keeps serving. Press Ctrl-C (or run "
                   f"`kill {os.getpid()}`) to stop it.")

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


def _terminal_reader(lifecycle: Lifecycle | None = None) -> ReadLine:
    """prompt_toolkit's line editor. It replaces the process's SIGINT handler while it
    reads and removes it afterwards: `lifecycle`'s handlers are put back after each line."""
    from prompt_toolkit import PromptSession
    from prompt_toolkit.history import FileHistory

    VAR_DIR.mkdir(parents=True, exist_ok=True)
    session: PromptSession[str] = PromptSession(history=FileHistory(str(HISTORY_FILE)))

    async def read(prompt: str) -> str | None:
        while True:
            try:
                return await session.prompt_async(prompt)
            except KeyboardInterrupt:
                if lifecycle is None:
                    continue  # `omsbot shell`: Ctrl-C drops the line, as in a shell
                lifecycle.request_stop()  # `omsbot run`: Ctrl-C stops the server
                return None
            except EOFError:
                return None
            finally:
                if lifecycle is not None:
                    lifecycle.install_signal_handlers()

    return read
