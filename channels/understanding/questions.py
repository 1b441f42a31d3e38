"""The one question a staff chat may have open ("Which order?", "Which product?" with the
products a name fits), kept in the chat's memory.

An open question captures only an answer that fits it, and only for `OPEN_FOR` (two
minutes): the value asked for (a number for "which order?", a carrier for "which
carrier?"), or one of the options offered (its number, as the console lists them, or the
option itself, as a Slack button sends it). Any other line — a command, another request,
chatter — is answered on its own and the question is dropped. The console opens a new chat
per session, so no question survives into the next one.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

OPEN_FOR = timedelta(minutes=2)
ANSWER_WORDS = 3  # an answer this short that gives the value asked for fits, whatever else
MOST_OPTIONS = 5  # options offered at most (Slack buttons, console numbers)


@dataclass(frozen=True)
class Option:
    """One answer offered: `value` is what choosing it answers (a SKU), `label` what is
    shown ("POT-01 · Moka pot, 3 cups")."""

    value: str
    label: str


@dataclass(frozen=True)
class Question:
    """`intent` asked about with the `values` found so far; `missing` is what is asked."""

    intent: str
    values: dict[str, Any]
    missing: str
    asked_at: datetime
    options: tuple[Option, ...] = field(default=())

    def stored(self) -> dict[str, Any]:
        """As kept in the chat's memory (JSON)."""
        return {"intent": self.intent, "values": self.values, "missing": self.missing,
                "asked_at": self.asked_at.isoformat(),
                "options": [[o.value, o.label] for o in self.options]}

    @classmethod
    def recalled(cls, stored: object, now: datetime) -> Question | None:
        """The question kept in memory, or None when there is none or it has expired."""
        if not isinstance(stored, dict):
            return None
        try:
            asked_at = datetime.fromisoformat(str(stored["asked_at"]))
            question = cls(str(stored["intent"]), dict(stored.get("values") or {}),
                           str(stored["missing"]), asked_at,
                           tuple(Option(str(v), str(label)) for v, label in
                                 stored.get("options") or ()))
        except (KeyError, TypeError, ValueError):
            return None
        return question if now - asked_at < OPEN_FOR else None

    def chosen(self, text: str) -> str | None:
        """The option `text` picks: its number (1, 2, …) or its value in any case."""
        answer = text.strip().rstrip(".").strip()
        if answer.isdigit() and 1 <= int(answer) <= len(self.options):
            return self.options[int(answer) - 1].value
        return next((o.value for o in self.options if o.value.lower() == answer.lower()),
                    None)

    def answered(self, text: str, found: dict[str, Any], intent: str) -> dict[str, Any] | None:
        """The request's values completed by `text`, when it answers this question: an
        option, or the missing value (`found`: the values `text` gives for this question's
        intent) in a short reply or in a message about the same thing (`intent`: what
        `text` reads as alone, "unknown" when nothing). None when it does not fit."""
        if self.options and (choice := self.chosen(text)) is not None:
            return {**self.values, self.missing: choice}
        if self.missing not in found:
            return None
        if len(text.split()) <= ANSWER_WORDS or intent in ("unknown", self.intent):
            return {**self.values, **found}
        return None
