"""Staff in plain words (Slack direct messages and mentions, the console): a message → a
`StaffRequest` the staff service runs, with the same role checks as the commands.

Queries are answered at once. A change is never made here: the answer is a summary and the
command line that Confirm will run (`Talk.confirm`), which goes through the command grammar
and the service like a typed command, role check included.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from jinja2 import Environment

from channels import staff_requests as sr
from channels.rendering import render
from channels.staff_grammar import (
    COMMAND_NAMES,
    UsageError,
    format_order_number,
    format_rma,
    parse,
)
from channels.staff_render import StaffChannel, render_reply
from channels.staff_replies import Reply, StaffUser
from channels.staff_service import StaffService
from channels.understanding.corpus import UNKNOWN
from channels.understanding.memory import (
    CatalogueCache,
    ConversationMemory,
    to_remember,
    with_context,
)

if TYPE_CHECKING:
    from channels.understanding.catalogue import Catalogue
    from channels.understanding.reader import Reader, Reading

# The values each intent may take from what the chat spoke of last ("cancel it").
FOLLOW_UP: dict[str, tuple[str, ...]] = {
    "stock": ("sku",), "order": ("order",), "ship": ("order",), "cancel": ("order",),
    "hold": ("order",), "receive": ("sku",), "approve_return": ("rma",),
}
# The report's periods are today, this week and this month; yesterday is in this week's.
PERIODS: dict[str, sr.ReportPeriod] = {"today": "today", "yesterday": "week", "week": "week",
                                       "month": "month"}
ANSWER_WORDS = 3  # a reply this short that gives what was asked for answers the question
TALK = "talk"  # the template of everything this module says itself


@dataclass(frozen=True)
class Talk:
    """The answer, in the writer's `language`; `confirm`: the command line a Confirm runs."""

    reply: Reply
    language: str = "en"
    confirm: str | None = None


class Missing(Exception):
    """A value the request needs and the message did not give ("which order?")."""

    def __init__(self, what: str) -> None:
        super().__init__(what)
        self.what = what


class StaffTalk:
    def __init__(self, service: StaffService, memory: ConversationMemory,
                 catalogue: CatalogueCache, *, channel: str, prefix: str) -> None:
        self.service = service
        self.memory = memory
        self.catalogue = catalogue
        self.channel = channel
        self.prefix = prefix

    async def answer(self, text: str, user: StaffUser, chat: str) -> Talk:
        """One message of `user` in `chat` (a Slack channel and user, or "console")."""
        from channels.understanding.reader import ready, reply_language  # loaded at start-up

        catalogue = await self.catalogue.catalogue()
        words = await ready()
        reading = words.read(text, "staff", catalogue)
        remembered = await self.memory.recall(self.channel, chat)
        language = reply_language(reading, remembered.get("language"))
        intent, values = _understood(words, reading, remembered, text, catalogue)
        typed = _typed_command(text)
        try:
            request = typed or _request(intent, values)
        except Missing as missing:  # asked; the answer ("123") continues this request
            await self.memory.remember(self.channel, chat, {
                "pending": {"intent": intent, "values": values, "missing": missing.what},
                "language": language})
            return Talk(Reply(TALK, {"kind": "missing", "what": missing.what}), language)
        if request is None:
            return await self._small_talk(intent, text, user, language)
        await self.memory.remember(self.channel, chat, {
            **to_remember(_values_of(request)), "language": language, "pending": None})
        if request.is_change:
            if not request.allowed_for(user.role):
                return Talk(self.service.refusal(type(request), user), language)
            line = " ".join(text.split()) if typed else command_line(request)
            return Talk(Reply(TALK, {"kind": "confirm", "change": summary(request),
                                     "command": line}), language, confirm=line)
        reply = await self.service.execute(request, user)
        return Talk(_only_warehouse(reply, values.get("warehouse")), language)

    async def confirmed(self, command: str, user: StaffUser) -> Reply:
        """Confirm pressed (or y typed): run the change as the command it stands for."""
        return await self.service.handle_text(command, user, prefix=self.prefix)

    async def _small_talk(self, intent: str, text: str, user: StaffUser, language: str
                          ) -> Talk:
        if intent == "help":
            return Talk(await self.service.handle_text("help", user, prefix=self.prefix),
                        language)
        if intent in ("greeting", "thanks"):
            return Talk(Reply(TALK, {"kind": intent}), language)
        from channels.understanding.suggest import closest_staff_commands

        suggestions = closest_staff_commands(text, self.prefix)
        return Talk(Reply(TALK, {"kind": "unknown", "suggestions": suggestions}), language)


def _understood(words: Reader, reading: Reading, remembered: dict[str, Any], text: str,
                catalogue: Catalogue) -> tuple[str, dict[str, Any]]:
    """The intent and its values. An answer to the last question ("which order?" → "123")
    continues the request asked about; otherwise values missing from the message are
    taken from what the chat spoke of last ("cancel it")."""
    pending = remembered.get("pending")
    if isinstance(pending, dict):
        intent = str(pending["intent"])
        found = words.values(text, "staff", intent, catalogue)
        just_the_answer = len(text.split()) <= ANSWER_WORDS and pending.get("missing") in found
        if just_the_answer or reading.intent in (UNKNOWN, intent):
            return intent, {**pending.get("values", {}), **found}
    wanted = FOLLOW_UP.get(reading.intent, ())
    return reading.intent, with_context(reading.entities, remembered, wanted)


def _typed_command(text: str) -> sr.StaffRequest | None:
    """The request when the message is a command as written ("cancel 12"), else None; a
    new order needs its form, so it is left to `/oms new`."""
    words = text.split()
    if not words or words[0].lower().lstrip("/") not in (*COMMAND_NAMES, "oms"):
        return None
    try:
        request = parse(text)
    except UsageError:
        return None
    return None if isinstance(request, sr.Help | sr.NewOrder) else request


def _need(values: dict[str, Any], key: str) -> Any:
    if key not in values:
        raise Missing(key)
    return values[key]


def _request(intent: str, values: dict[str, Any]) -> sr.StaffRequest | None:
    """The request a plain-words intent stands for; None for small talk and the unknown."""
    match intent:
        case "stock":
            return sr.ShowStock(_need(values, "sku"))
        case "order":
            return sr.ShowOrder(_need(values, "order"))
        case "customer":
            return sr.ShowCustomer(_need(values, "email"))
        case "top":
            return sr.TopProducts(min(values.get("quantity", 10), 100))
        case "report":
            return sr.Report(PERIODS.get(values.get("when", "today"), "today"))
        case "lowstock":
            return sr.LowStock()
        case "ship":
            return sr.ShipOrder(_need(values, "order"), _need(values, "carrier"),
                                _need(values, "tracking"))
        case "cancel":
            return sr.CancelOrder(_need(values, "order"))
        case "hold":
            return sr.HoldOrder(_need(values, "order"))
        case "receive":
            return sr.ReceiveStock(_need(values, "sku"), _need(values, "quantity"),
                                   values.get("warehouse"))
        case "approve_return":
            return sr.ReturnAction("approve", _need(values, "rma"))
    return None


def _values_of(request: sr.StaffRequest) -> dict[str, Any]:
    """What a request is about, to remember for follow-ups."""
    found: dict[str, Any] = {}
    for field_name, key in (("number", "order"), ("sku", "sku"), ("warehouse", "warehouse"),
                            ("rma", "rma")):
        value = getattr(request, field_name, None)
        if value is not None:
            found[key] = value
    return found


def summary(request: sr.StaffRequest) -> dict[str, Any]:
    """What a change will do, for the confirmation question: the action and its values,
    order and return numbers formatted (ORD-000123, RMA-000045)."""
    values: dict[str, Any] = {"action": request.command}
    for name in ("carrier", "tracking", "sku", "quantity", "warehouse", "action"):
        if (value := getattr(request, name, None)) is not None:
            values[name] = value
    if isinstance(request, sr.ReturnAction):
        values["action"] = f"return_{request.action}"
        values["rma"] = format_rma(request.rma)
    if (number := getattr(request, "number", None)) is not None:
        values["order"] = format_order_number(number)
    return values


def _quoted(word: str) -> str:
    return f'"{word}"' if any(c.isspace() for c in word) else word


def command_line(request: sr.StaffRequest) -> str:
    """The command a change stands for: `ship 12 BRT 1Z999`, `receive MUG-01 5 MIL`, …"""
    match request:
        case sr.ShipOrder(number=n, carrier=carrier, tracking=tracking):
            return f"ship {n} {_quoted(carrier)} {_quoted(tracking)}"
        case sr.CancelOrder(number=n, reason=reason):
            return f"cancel {n} {reason}".strip()
        case sr.HoldOrder(number=n):
            return f"hold {n}"
        case sr.ReceiveStock(sku=sku, quantity=quantity, warehouse=warehouse):
            return f"receive {sku} {quantity} {warehouse or ''}".strip()
        case sr.ReturnAction(action=action, rma=rma):
            return f"return {action} {rma}"
    raise ValueError(f"not a change plain words offer: {request!r}")


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
