"""The staff command grammar, shared by Slack (`/oms …`) and the terminal console.

`parse(text)` turns one line into a `StaffRequest` (see `channels.staff_requests`) or raises
`UsageError`, the only exception it raises, carrying a message for a person and the
command's usage line. The commands are read by context: `orders`, `fulfilment`, `stock`,
`returns`, `money`, `reports`, `admin`; `words` cuts a line into words and complains,
`help` holds every command's usage line and summary. Standard library only; nothing here
knows Slack beyond its text escapes.
"""

from __future__ import annotations

from collections.abc import Collection

from channels.staff_grammar import admin, fulfilment, money, orders, reports, returns, stock
from channels.staff_grammar.help import (
    COMMAND_NAMES,
    DEFAULT_ENABLED,
    DEFAULT_PREFIX,
    HELP,
    CommandHelp,
    close_command,
    command_help,
    enabled_names,
    help_lines,
    usage,
    usage_text,
)
from channels.staff_grammar.words import (
    Invocation,
    Parser,
    UsageError,
    decode_slack_text,
    tokenise,
)
from channels.staff_requests import Help, StaffRequest
from channels.staff_values import parse_order_number, parse_rma, shown
from domain.orders.model import format_order_number
from domain.returns.model import format_rma
from domain.texts import N_, Text

__all__ = [
    "COMMAND_NAMES", "DEFAULT_ENABLED", "DEFAULT_PREFIX", "HELP", "CommandHelp", "UsageError",
    "close_command", "command_help", "decode_slack_text", "format_order_number", "format_rma",
    "help_lines", "parse", "parse_order_number", "parse_rma", "usage",
]


def _help(words: Invocation) -> Help:
    words.at_most(1)
    if not len(words):
        return Help()
    topic = words.word(0).lower()
    if topic not in words.enabled:
        raise words.error(Text.of(N_("Unknown command %(word)s."), word=shown(words.word(0))))
    return Help(topic)


_PARSERS: dict[str, Parser] = {
    "help": _help, **orders.PARSERS, **fulfilment.PARSERS, **stock.PARSERS,
    **returns.PARSERS, **money.PARSERS, **reports.PARSERS, **admin.PARSERS,
}


def _unknown(word: str, names: frozenset[str], prefix: str) -> UsageError:
    """An unknown command: with the usage of the one it looks mistyped from, if any."""
    meant = close_command(word, names)
    if meant is None:
        return UsageError(Text.of(N_("Unknown command %(word)s."), word=shown(word)),
                          usage_text("help", prefix))
    return UsageError(Text.of(N_("Unknown command %(word)s; did you mean `%(meant)s`?"),
                              word=shown(word), meant=meant), usage_text(meant, prefix))


def parse(
    text: str, enabled: Collection[str] | None = None, *, prefix: str = DEFAULT_PREFIX
) -> StaffRequest:
    """One line of staff text → its request. Raises `UsageError`, and nothing else.

    `enabled` limits the commands (None: all); `help` is always on. A disabled command is
    answered as unknown. `prefix` is put before usage lines in errors ("" on the console).
    """
    line = decode_slack_text(text)
    tokens = tokenise(line)
    if tokens and tokens[0].value.lower() == "/oms":
        tokens = tokens[1:]
    if not tokens:
        return Help()
    name = tokens[0].value.lower()
    names = enabled_names(enabled)
    if name not in names:
        raise _unknown(tokens[0].value, names, prefix)
    return _PARSERS[name](Invocation(name, line, tokens[1:], prefix, names))
