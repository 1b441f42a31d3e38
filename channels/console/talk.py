"""Plain words on the staff console: answered by `StaffTalk`; a change is summarised and
asked about (y/n), and only y runs it; a question's options are numbered, and the next line
("2") answers it. A command written wrong gets its usage line from `StaffTalk` too."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable

from jinja2 import Environment

from channels.staff_grammar import UsageError, parse
from channels.staff_render import render_reply
from channels.staff_replies import Reply, StaffUser
from channels.understanding.staff_talk import TALK, StaffTalk, Talk, render_talk

CHAT = "console"  # + the user and the session: nothing is remembered from one to the next
YES = frozenset({"y", "yes", "si", "sì", "ja", "j"})


def is_command(line: str) -> bool:
    """A line the command grammar reads is a command; anything else is plain words
    ("cancel it" starts like a command but is not one)."""
    try:
        parse(line)
    except UsageError:
        return False
    return True


def session_chat(user: StaffUser) -> str:
    """The chat of one console session: its questions and context end with it."""
    return f"{CHAT}:{user.user_id}:{uuid.uuid4().hex}"


async def converse(talk: StaffTalk, env: Environment, user: StaffUser, line: str,
                   read: Callable[[str], Awaitable[str | None]],
                   write: Callable[[str], None], *, chat: str) -> Reply:
    """Answer `line` in `chat` (see `session_chat`); a change is run only after y. Returns
    the last reply written (its attachment, a report's chart, is the caller's to save)."""
    answer = await talk.answer(line, user, chat)
    write(render_talk(env, "console", answer))
    if answer.confirm is None:
        return answer.reply
    typed = await read("[y/N] ")
    if typed is None or typed.strip().lower() not in YES:
        cancelled = Reply(TALK, {"kind": "cancelled"})
        write(render_talk(env, "console", Talk(cancelled, answer.language)))
        return cancelled
    done = await talk.confirmed(answer.confirm, user)
    write(render_reply(env, "console", done))
    return done
