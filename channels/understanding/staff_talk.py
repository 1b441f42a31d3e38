"""Staff in plain words (Slack direct messages and mentions, the console): a message → a
`StaffRequest` the staff service runs, with the same role checks as the commands.

A line that is a command runs as one; a command written wrong gets the grammar's error and
usage line (see `typed` for where commands end and plain words begin). Queries are answered
at once. A change is never made here: the answer is a summary and the command line that
Confirm will run (`Talk.confirm`), which goes through the command grammar and the service
like a typed command, role check included. When something is missing the answer is one
question, with options when there are some (see `questions`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from jinja2 import Environment

from channels import staff_requests as sr
from channels.rendering import render
from channels.staff_render import StaffChannel, render_reply
from channels.staff_replies import Reply, StaffUser
from channels.staff_service import StaffService
from channels.understanding.memory import (
    CatalogueCache,
    ConversationMemory,
    to_remember,
    with_context,
)
from channels.understanding.questions import MOST_OPTIONS, Option, Question
from channels.understanding.staff_changes import (
    Missing,
    command_line,
    request_for,
    summary,
    values_of,
)
from channels.understanding.typed import as_sentence, typed_command
from domain.clock import Clock, SystemClock

if TYPE_CHECKING:
    from channels.understanding.catalogue import Catalogue
    from channels.understanding.reader import Reader, Reading

# The values each intent may take from what the chat spoke of last ("cancel it").
FOLLOW_UP: dict[str, tuple[str, ...]] = {
    "stock": ("sku",), "order": ("order",), "ship": ("order",), "cancel": ("order",),
    "hold": ("order",), "receive": ("sku",), "approve_return": ("rma",),
}
TALK = "talk"  # the template of everything this module says itself


@dataclass(frozen=True)
class Talk:
    """The answer, in the writer's `language`; `confirm`: the command line a Confirm runs;
    `options`: the answers offered to a question (buttons in Slack, numbers on the console)."""

    reply: Reply
    language: str = "en"
    confirm: str | None = None
    options: tuple[Option, ...] = ()


@dataclass(frozen=True)
class _Message:
    """One message being answered, and what is known about it."""

    text: str
    user: StaffUser
    chat: str
    language: str
    catalogue: Catalogue


class StaffTalk:
    def __init__(self, service: StaffService, memory: ConversationMemory,
                 catalogue: CatalogueCache, *, channel: str, prefix: str,
                 clock: Clock | None = None) -> None:
        self.service = service
        self.memory = memory
        self.catalogue = catalogue
        self.channel = channel
        self.prefix = prefix
        self.clock = clock or SystemClock()

    async def answer(self, text: str, user: StaffUser, chat: str, *,
                     chosen: bool = False) -> Talk:
        """One message of `user` in `chat` (a Slack channel and user, or a console session);
        `chosen`: an option of the open question picked (a Slack button), not typed."""
        from channels.understanding.reader import ready, reply_language  # loaded at start-up

        catalogue = await self.catalogue.catalogue()
        words = await ready()
        reading = words.read(text, "staff", catalogue)
        remembered = await self.memory.recall(self.channel, chat)
        message = _Message(text, user, chat, reply_language(reading, remembered.get("language")),
                           catalogue)
        question = Question.recalled(remembered.get("pending"), self.clock.now())
        if chosen:
            picked = question.chosen(text) if question is not None else None
            if question is None or picked is None:  # closed, or someone else's
                return Talk(Reply(TALK, {"kind": "expired"}), message.language)
            return await self._respond(question.intent,
                                       {**question.values, question.missing: picked}, message)
        typed = typed_command(text, prefix=self.prefix)
        if typed is not None and typed.request is not None \
                and not isinstance(typed.request, sr.Help | sr.NewOrder):
            return await self._run(typed.request, message, line=" ".join(text.split()))
        if typed is not None and typed.error is not None:
            sentence = as_sentence(typed, text, words, reading, catalogue)
            if sentence is None:
                await self._forget_question(message)
                return Talk(Reply("usage", {"message": typed.error.text,
                                            "usage": typed.error.usage_text}), message.language)
            reading = sentence
        intent, values = _understood(words, reading, question, remembered, message)
        return await self._respond(intent, values, message)

    async def close_question(self, chat: str) -> None:
        """A command was typed in `chat` (not through here): its open question is dropped."""
        await self.memory.remember(self.channel, chat, {"pending": None})

    async def confirmed(self, command: str, user: StaffUser) -> Reply:
        """Confirm pressed (or y typed): run the change as the command it stands for."""
        return await self.service.handle_text(command, user, prefix=self.prefix)

    async def _respond(self, intent: str, values: dict[str, Any], message: _Message) -> Talk:
        try:
            request = request_for(intent, values)
        except Missing as missing:  # asked; the answer ("123") continues this request
            return await self._ask(intent, values, missing.what, message)
        if request is None:
            await self._forget_question(message)
            return await self._small_talk(intent, message)
        return await self._run(request, message, warehouse=values.get("warehouse"))

    async def _ask(self, intent: str, values: dict[str, Any], what: str, message: _Message
                   ) -> Talk:
        options = tuple(Option(p.sku, f"{p.sku} · {p.name}") for p in (
            message.catalogue.product_choices(message.text, MOST_OPTIONS) if what == "sku"
            else ()))
        question = Question(intent, values, what, self.clock.now(), options)
        await self.memory.remember(self.channel, message.chat, {
            "pending": question.stored(), "language": message.language})
        asked: dict[str, Any] = {"kind": "missing", "what": what}
        if options:
            asked["options"] = [{"value": o.value, "label": o.label} for o in options]
        return Talk(Reply(TALK, asked), message.language, options=options)

    async def _run(self, request: sr.StaffRequest, message: _Message, *,
                   line: str | None = None, warehouse: str | None = None) -> Talk:
        """A query answered, a change offered for confirmation; the chat remembers what it
        was about and its question, if any, is closed."""
        await self.memory.remember(self.channel, message.chat, {
            **to_remember(values_of(request)), "language": message.language, "pending": None})
        if request.is_change:
            if not request.allowed_for(message.user.role):
                return Talk(self.service.refusal(type(request), message.user), message.language)
            line = line or command_line(request)
            return Talk(Reply(TALK, {"kind": "confirm", "change": summary(request),
                                     "command": line}), message.language, confirm=line)
        reply = await self.service.execute(request, message.user)
        return Talk(_only_warehouse(reply, warehouse), message.language)

    async def _forget_question(self, message: _Message) -> None:
        await self.memory.remember(self.channel, message.chat, {
            "pending": None, "language": message.language})

    async def _small_talk(self, intent: str, message: _Message) -> Talk:
        if intent == "help":
            return Talk(await self.service.handle_text("help", message.user, prefix=self.prefix),
                        message.language)
        if intent in ("greeting", "thanks"):
            return Talk(Reply(TALK, {"kind": intent}), message.language)
        from channels.understanding.suggest import closest_staff_commands

        suggestions = closest_staff_commands(message.text, self.prefix)
        return Talk(Reply(TALK, {"kind": "unknown", "suggestions": suggestions}),
                    message.language)


def _understood(words: Reader, reading: Reading, question: Question | None,
                remembered: dict[str, Any], message: _Message) -> tuple[str, dict[str, Any]]:
    """The intent and its values. An answer that fits the open question ("which order?" →
    "123") continues the request asked about; otherwise values missing from the message are
    taken from what the chat spoke of last ("cancel it")."""
    if question is not None:
        found = words.values(message.text, "staff", question.intent, message.catalogue)
        answered = question.answered(message.text, found, reading.intent)
        if answered is not None:
            return question.intent, answered
    wanted = FOLLOW_UP.get(reading.intent, ())
    return reading.intent, with_context(reading.entities, remembered, wanted)


def _only_warehouse(reply: Reply, warehouse: str | None) -> Reply:
    """Stock at one warehouse ("how many MUG-01 in Milano?") rather than everywhere."""
    if reply.template != "stock" or warehouse is None:
        return reply
    levels = [level for level in reply.context["levels"] if level["warehouse"] == warehouse]
    return Reply(reply.template, {**reply.context, "levels": levels, "warehouse": warehouse},
                 reply.public, reply.subject, reply.form)


def render_talk(env: Environment, channel: StaffChannel, talk: Talk) -> str:
    """The answer as text: this module's own words in the writer's language (English when
    that language has no catalogue), the service's replies as the commands render them."""
    reply = talk.reply
    if reply.template != TALK:
        return render_reply(env, channel, reply)
    extension = "md" if channel == "slack" else "txt"
    return render(env, f"{channel}/{TALK}.{extension}.j2", talk.language, reply.context)
