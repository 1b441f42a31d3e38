"""The staff console: the `/oms` grammar on a terminal, answered from `templates/console/`."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from pathlib import Path

from jinja2 import Environment

from channels import staff_requests as sr
from channels.console.talk import converse, is_command, session_chat
from channels.staff_grammar import COMMAND_NAMES
from channels.staff_render import render_reply, render_template
from channels.staff_replies import (
    ADDRESS_QUESTIONS,
    OPTIONAL_FIELDS,
    Address,
    Attachment,
    Reply,
    StaffUser,
)
from channels.staff_service import StaffService
from channels.understanding.staff_talk import StaffTalk

ReadLine = Callable[[str], Awaitable[str | None]]  # prompt → a line, or None at end of input
Write = Callable[[str], None]
PROMPT = "oms> "
QUIT = frozenset({"quit", "exit", r"\q"})
REPORTS_DIR = Path("var/reports")  # relative to where omsbot runs, beside var/omsbot.db


class Console:
    def __init__(self, service: StaffService, env: Environment, user: StaffUser,
                 read: ReadLine, write: Write, *, files_dir: Path = REPORTS_DIR,
                 talk: StaffTalk | None = None) -> None:
        """`files_dir`: where charts and other files that come with replies are saved;
        `talk`: plain words for lines that are not commands."""
        self.files_dir = files_dir
        self.service = service
        self.env = env
        self.user = user
        self.read = read
        self.write = write
        self.talk = talk
        self.chat = session_chat(user)

    async def run(self) -> None:
        """Answer lines until end of input or `quit`."""
        self.write(render_template(self.env, "console", "banner", {}))
        while (line := await self.read(PROMPT)) is not None:
            if line.strip().lower() in QUIT:
                break
            if line.strip():
                await self.answer(line)

    async def answer(self, line: str) -> None:
        if _looks_scanned(line) and await self.service.fulfilment.packing(self.user):
            line = f"scan {line.strip()}"  # a USB scanner types the code and Enter
        if self.talk is not None and not is_command(line):
            reply = await converse(self.talk, self.env, self.user, line, self.read, self.write,
                                   chat=self.chat)
        else:
            if self.talk is not None:
                await self.talk.command_typed(self.chat, line)
            reply = await self.service.handle_text(line, self.user, prefix="")
            if reply.form is not None:
                self.write(render_reply(self.env, "console", reply))
                reply = await self._new_order(reply.form)
            self.write(render_reply(self.env, "console", reply))
        if reply.attachment is not None:
            path = await self._save(reply.attachment)
            self.write(render_template(self.env, "console", "file_saved",
                                       {"kind": reply.attachment.kind, "path": str(path)}))

    async def _save(self, attachment: Attachment) -> Path:
        """Write the file under `files_dir` (its name is ours, never a path someone typed)."""
        content = await attachment.content()
        self.files_dir.mkdir(parents=True, exist_ok=True)
        path = self.files_dir / Path(attachment.filename).name
        path.write_bytes(content)
        return path

    async def _new_order(self, request: sr.NewOrder) -> Reply:
        """Ask for the name and address the order needs, then place it."""
        values: dict[str, str] = {}
        for name, (question, parser) in ADDRESS_QUESTIONS.items():
            while True:
                answer = await self.read(f"{question}: ")
                if answer is None:
                    return Reply("usage", {"message": "Order not placed.", "usage": ""})
                if not answer.strip() and name in OPTIONAL_FIELDS:
                    break
                try:
                    values[name] = parser(answer.strip())
                    break
                except ValueError as problem:
                    self.write(render_template(self.env, "console", "error",
                                               {"message": str(problem).replace("`", "")}))
        return await self.service.place_new_order(
            request, Address(**values), self.user, external_id=f"console-{uuid.uuid4().hex}")


def _looks_scanned(line: str) -> bool:
    """One word that is not a command: what a barcode scanner types."""
    words = line.split()
    return len(words) == 1 and words[0].lower() not in COMMAND_NAMES and words[0] not in QUIT
