"""Telegram's one hard limit on a reply: 4,096 characters of text after HTML entity parsing.

Telegram counts characters as UTF-16 code units (as it counts entity offsets): a character
outside the Basic Multilingual Plane (most emoji, 😀 U+1F600, 𝔸 U+1D538) counts two.
Tags do not count, an entity such as ``&amp;`` counts as the one character it stands for.
``visible_length`` measures a message that way; ``clip`` shortens one that is still too long
without ever cutting inside a tag or an entity, closing the tags it leaves open.
"""

from __future__ import annotations

from html import escape
from html.parser import HTMLParser

MAX_MESSAGE_CHARS = 4096
ELLIPSIS = "…"


class _Clipper(HTMLParser):
    """Rebuilds the HTML while counting its text; stops adding text at ``budget``."""

    def __init__(self, budget: int) -> None:
        super().__init__(convert_charrefs=True)
        self.budget = budget
        self.length = 0
        self.out: list[str] = []
        self.open: list[str] = []
        self.clipped = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if not self.clipped:
            self.out.append(self.get_starttag_text() or f"<{tag}>")
            self.open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if not self.clipped:
            self.out.append(f"</{tag}>")
            if tag in self.open:
                del self.open[len(self.open) - 1 - self.open[::-1].index(tag)]

    def handle_data(self, data: str) -> None:
        size = utf16_length(data)
        self.length += size
        if self.clipped:
            return
        room = self.budget - (self.length - size)
        if size <= room:
            self.out.append(escape(data, quote=False))
            return
        self.out.append(escape(_utf16_prefix(data, room), quote=False))
        self.clipped = True


def utf16_length(text: str) -> int:
    """Length of ``text`` in UTF-16 code units: 1 per BMP character, 2 per astral one."""
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


def _utf16_prefix(text: str, units: int) -> str:
    """The longest start of ``text`` within ``units`` UTF-16 code units (never half of a
    surrogate pair)."""
    used = 0
    for index, char in enumerate(text):
        used += 2 if ord(char) > 0xFFFF else 1
        if used > units:
            return text[:index]
    return text


def visible_length(html_text: str) -> int:
    """Characters Telegram counts in ``html_text`` (parse mode HTML), in UTF-16 code units."""
    parser = _Clipper(budget=0)
    parser.feed(html_text)
    parser.close()
    return parser.length


def fits(html_text: str, limit: int = MAX_MESSAGE_CHARS) -> bool:
    """Whether Telegram counts at most ``limit`` characters in ``html_text``. The HTML as
    written is never shorter than its text (tags vanish, an entity stands for one character
    and a surrogate pair is spelled in at least 8), so a short message is not parsed."""
    return utf16_length(html_text) <= limit or visible_length(html_text) <= limit


def clip(html_text: str, limit: int = MAX_MESSAGE_CHARS) -> str:
    """``html_text`` unchanged when it fits in ``limit`` UTF-16 code units; otherwise as many
    of its visible characters as fit in ``limit - 1``, an ellipsis, and the closing tags it
    needs."""
    if fits(html_text, limit):
        return html_text
    parser = _Clipper(budget=limit - len(ELLIPSIS))
    parser.feed(html_text)
    parser.close()
    closing = "".join(f"</{tag}>" for tag in reversed(parser.open))
    return "".join(parser.out).rstrip() + ELLIPSIS + closing
