"""The words of one staff command line: Slack's escapes undone, the line cut into words
(quoted phrases kept whole), and `Invocation`, which reads a command's words with the
value parsers and complains with `UsageError` (a message for a person and the usage line).

Standard library and the staff requests only; nothing here knows Slack beyond its text escapes.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from channels.staff_grammar.help import usage_text
from channels.staff_requests import StaffRequest
from channels.staff_values import shown
from domain.errors import Message, as_text
from domain.texts import N_, Text, english

_T = TypeVar("_T")


class UsageError(Exception):
    """A line staff typed that is not a valid command: what is wrong, and how to write it."""

    def __init__(self, message: Message, usage: Message) -> None:
        self.text, self.usage_text = as_text(message), as_text(usage)  # said in staff's words
        self.message, self.usage = english(self.text), english(self.usage_text)
        super().__init__(self.message, self.usage)

    def __str__(self) -> str:
        return self.message


_SLACK_MARKUP = re.compile(r"<([^<>|]*)(?:\|([^<>]*))?>")
_TOKEN = re.compile(r"[\"“](?P<quoted>[^\"“”]*)[\"”](?=\s|$)|(?P<word>\S+)")
_QUOTES = (('"', '"'), ("“", "”"), ("'", "'"), ("‘", "’"))


def decode_slack_text(text: str) -> str:
    """Undo Slack's escaping: `<mailto:a@b.c|a@b.c>` → a@b.c, `<@U1|ann>` → <@U1>,
    `<http://x.it|x.it>` → x.it, `&lt; &gt; &amp;` → `< > &`."""
    def unwrap(match: re.Match[str]) -> str:
        target, label = match.group(1), match.group(2)
        if target.startswith("@"):
            return f"<{target}>"
        if target.lower().startswith("mailto:"):
            return target[len("mailto:"):]
        if "://" in target:
            return label or target
        return match.group(0)

    text = _SLACK_MARKUP.sub(unwrap, text)
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


@dataclass(frozen=True, slots=True)
class Token:
    value: str
    start: int  # where it starts in the line, for "the rest of the line"


def tokenise(line: str) -> list[Token]:
    return [
        Token(match.group("word") or match.group("quoted") or "", match.start())
        for match in _TOKEN.finditer(line)
    ]


def _unquote(text: str) -> str:
    for opening, closing in _QUOTES:
        if len(text) >= 2 and text.startswith(opening) and text.endswith(closing):
            return text[1:-1]
    return text


@dataclass(frozen=True, slots=True)
class Invocation:
    """One command's words after its name, and how to complain about them."""

    name: str
    line: str
    tokens: list[Token]
    prefix: str
    enabled: frozenset[str]

    def __len__(self) -> int:
        return len(self.tokens)

    def word(self, index: int) -> str:
        return self.tokens[index].value

    def error(self, message: Message) -> UsageError:
        return UsageError(message, usage_text(self.name, self.prefix))

    def value(self, index: int, parser: Callable[[str], _T]) -> _T:
        try:
            return parser(self.word(index))
        except ValueError as problem:  # the value parsers raise ValueError(Text)
            said = problem.args[0] if problem.args else ""
            raise self.error(said if isinstance(said, Text) else str(problem)) from None

    def choice(self, index: int, choices: tuple[_T, ...], what: str) -> _T:
        word = self.word(index).lower()
        for choice in choices:
            if choice == word:
                return choice
        options = ", ".join(str(choice) for choice in choices)
        raise self.error(Text.of(N_("%(value)s is not %(what)s; use one of: %(options)s."),
                                 value=shown(self.word(index)), what=Text(what),
                                 options=options))

    def require(self, *nouns: str) -> None:
        """Complain unless there is a word for each noun ("an order number", "a carrier")."""
        missing = [Text(noun) for noun in nouns[len(self.tokens):]]
        if missing:
            listed = missing[0] if len(missing) == 1 else Text.of(
                N_("%(first)s and %(last)s"), first=missing[:-1], last=missing[-1])
            raise self.error(Text.of(N_("`%(command)s` needs %(nouns)s."), command=self.name,
                                     nouns=listed))

    def at_most(self, count: int) -> None:
        if len(self.tokens) > count:
            raise self.error(Text.of(N_("%(value)s is one word too many for `%(command)s`."),
                                     value=shown(self.word(count)), command=self.name))

    def rest(self, index: int) -> str:
        """The line from word `index` on, as written, with one pair of quotes taken off."""
        if index >= len(self.tokens):
            return ""
        return " ".join(_unquote(self.line[self.tokens[index].start:].strip()).split())


# The parser of one command: its words → its request, or `UsageError`.
Parser = Callable[[Invocation], StaffRequest]
ORDER = N_("an order number")
