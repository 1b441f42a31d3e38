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

from channels.staff_grammar.help import usage
from channels.staff_requests import StaffRequest
from channels.staff_values import shown

_T = TypeVar("_T")


class UsageError(Exception):
    """A line staff typed that is not a valid command: what is wrong, and how to write it."""

    def __init__(self, message: str, usage: str) -> None:
        super().__init__(message, usage)
        self.message = message
        self.usage = usage

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

    def error(self, message: str) -> UsageError:
        return UsageError(message, usage(self.name, self.prefix))

    def value(self, index: int, parser: Callable[[str], _T]) -> _T:
        try:
            return parser(self.word(index))
        except ValueError as problem:
            raise self.error(str(problem)) from None

    def choice(self, index: int, choices: tuple[_T, ...], what: str) -> _T:
        word = self.word(index).lower()
        for choice in choices:
            if choice == word:
                return choice
        options = ", ".join(str(choice) for choice in choices)
        raise self.error(f"{shown(self.word(index))} is not {what}; use one of: {options}.")

    def require(self, *nouns: str) -> None:
        """Complain unless there is a word for each noun ("an order number", "a carrier")."""
        missing = nouns[len(self.tokens):]
        if missing:
            listed = ", ".join(missing[:-1]) + " and " if len(missing) > 1 else ""
            raise self.error(f"`{self.name}` needs {listed}{missing[-1]}.")

    def at_most(self, count: int) -> None:
        if len(self.tokens) > count:
            raise self.error(f"{shown(self.word(count))} is one word too many for `{self.name}`.")

    def rest(self, index: int) -> str:
        """The line from word `index` on, as written, with one pair of quotes taken off."""
        if index >= len(self.tokens):
            return ""
        return " ".join(_unquote(self.line[self.tokens[index].start:].strip()).split())


# The parser of one command: its words → its request, or `UsageError`.
Parser = Callable[[Invocation], StaffRequest]
ORDER = "an order number"
