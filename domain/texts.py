"""Words the domain says to a person, kept apart from the language they are read in.

The domain writes English message ids with ``%(name)s`` placeholders and marks them with
``N_`` so that ``make messages`` extracts them into the catalogues; it never translates. A
channel says a ``Text`` in its reader's language (``channels.texts.say``): the id through
the catalogue (gettext, or ngettext when it has a plural), then the parameters, each in
turn: a nested ``Text`` is said the same way, a ``Code`` (a status such as ``shipped``)
through the channel's own words for it, a list as its items joined with ", ", anything
else as ``str()``. ``str(text)`` is the English sentence (logs, the HTTP API's ``message``).
A ``Text`` that waits in a stored payload (a staff alert in the outbox) is kept as JSON data
(``to_data``/``from_data``) and said when it is shown.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

__all__ = ["NN_", "N_", "Code", "Number", "Text", "english", "from_data", "to_data"]


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
class Number:
    """A whole number the channel writes in its reader's way: 1,048,576 in English,
    1.048.576 in German and Italian."""

    value: int

    def __str__(self) -> str:
        return f"{self.value:,}"


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


def to_data(text: Text) -> dict[str, Any]:
    """``text`` as JSON data: ``{"msgid", "params", "plural"?, "count"?}``; a nested ``Text`` is
    ``{"text": …}``, a ``Code`` ``{"code": [kind, value]}``, a ``Number`` ``{"number": n}``,
    a list a list, anything else
    its ``str()``."""
    data: dict[str, Any] = {"msgid": text.msgid,
                            "params": {k: _param_data(v) for k, v in text.params.items()}}
    if text.plural is not None:
        data |= {"plural": text.plural, "count": text.count}
    return data


def from_data(data: Mapping[str, Any]) -> Text:
    """The ``Text`` that ``to_data`` wrote. KeyError or TypeError when ``data`` is not one."""
    params = {k: _param_value(v) for k, v in data.get("params", {}).items()}
    return Text(str(data["msgid"]), params, data.get("plural"), int(data.get("count", 1)))


def _param_data(value: object) -> object:
    if isinstance(value, Text):
        return {"text": to_data(value)}
    if isinstance(value, Code):
        return {"code": [value.kind, value.value]}
    if isinstance(value, Number):
        return {"number": value.value}
    if isinstance(value, list | tuple):
        return [_param_data(item) for item in value]
    return value if isinstance(value, int | str) and not isinstance(value, bool) else str(value)


def _param_value(value: object) -> object:
    if isinstance(value, dict) and "text" in value:
        return from_data(value["text"])
    if isinstance(value, dict) and "code" in value:
        kind, code = value["code"]
        return Code(str(kind), str(code))
    if isinstance(value, dict) and "number" in value:
        return Number(int(value["number"]))
    if isinstance(value, list):
        return [_param_value(item) for item in value]
    return value
