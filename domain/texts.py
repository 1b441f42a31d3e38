"""Words the domain says to a person, kept apart from the language they are read in.

The domain writes English message ids with ``%(name)s`` placeholders and marks them with
``N_`` so that ``make messages`` extracts them into the catalogues; it never translates. A
channel says a ``Text`` in its reader's language (``channels.texts.say``): the id through
the catalogue (gettext, or ngettext when it has a plural), then the parameters, each in
turn: a nested ``Text`` is said the same way, a ``Code`` (a status such as ``shipped``)
through the channel's own words for it, a list as its items joined with ", ", anything
else as ``str()``. ``str(text)`` is the English sentence (logs, the HTTP API's ``message``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

__all__ = ["NN_", "N_", "Code", "Text", "english"]


def N_(message: str) -> str:
    """Marks ``message`` for extraction into the catalogues; returns it unchanged."""
    return message


def NN_(singular: str, plural: str) -> tuple[str, str]:
    """Marks a singular and plural pair for extraction (``pybabel -k NN_:1,2``)."""
    return singular, plural


@dataclass(frozen=True)
class Code:
    """A code word the channel names for its reader: ``Code("status", "on_hold")`` reads
    "on hold" in English, "in attesa" in Italian."""

    kind: str
    value: str

    def __str__(self) -> str:
        return self.value


@dataclass(frozen=True)
class Text:
    """An English message id, its plural id and count (for ngettext), and its parameters."""

    msgid: str
    params: Mapping[str, Any] = field(default_factory=dict)
    plural: str | None = None
    count: int = 1

    @classmethod
    def of(cls, msgid: str, **params: Any) -> Text:
        return cls(msgid, params)

    @classmethod
    def counted(cls, forms: tuple[str, str], count: int, **params: Any) -> Text:
        """``Text.counted(NN_("%(count)s order", "%(count)s orders"), n)``."""
        return cls(forms[0], {"count": count, **params}, forms[1], count)

    def __str__(self) -> str:
        return english(self)


def english(text: Text | str) -> str:
    """The sentence in the source language, parameters filled in."""
    if isinstance(text, str):
        return text
    template = text.msgid if text.plural is None or text.count == 1 else text.plural
    if not text.params:
        return template
    return template % {name: _english_param(value) for name, value in text.params.items()}


def _english_param(value: object) -> str:
    if isinstance(value, Text):
        return english(value)
    if isinstance(value, list | tuple):
        return ", ".join(_english_param(item) for item in value)
    return str(value)
