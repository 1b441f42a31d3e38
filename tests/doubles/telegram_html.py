"""Telegram's parse_mode=HTML, as strictly as the Bot API applies it.

`parse_html(text)` returns the message text after entity parsing (what Telegram counts
against its 4,096-character limit) or raises `EntityError` with the description Telegram
answers in its 400 ("Bad Request: can't parse entities: …"). The rules (core.telegram.org/bots/api
#html-style): only the tags below, closed in order; `<`, `>` and `&` outside tags and
must be escaped (as in tdlib, a bare `>` and an `&` that starts no known entity are read as
text); the named entities are `&lt;`, `&gt;`, `&amp;` and `&quot;`, numeric ones are allowed;
a `<span>` must be `class="tg-spoiler"`.
"""

from __future__ import annotations

import re

TAGS = frozenset({
    "b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "span", "tg-spoiler", "a",
    "tg-emoji", "code", "pre", "blockquote",
})
_NAMED = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9-]*)((?:\s+[a-zA-Z-]+\s*=\s*(?:\"[^\"]*\"|'[^']*'"
                  r"|[^\s>\"']+))*)\s*>")
_ENTITY = re.compile(r"&(#[0-9]{1,7}|#x[0-9a-fA-F]{1,6}|[a-zA-Z]+);")


class EntityError(ValueError):
    def __init__(self, reason: str) -> None:
        super().__init__(f"Bad Request: can't parse entities: {reason}")


def _entity(match: re.Match[str]) -> str:
    name = match.group(1)
    if name.startswith("#x"):
        return chr(int(name[2:], 16))
    if name.startswith("#"):
        return chr(int(name[1:]))
    return _NAMED.get(name, match.group(0))


def _tag(match: re.Match[str], open_tags: list[str], at: int) -> None:
    closing, name = match.group(1) == "/", match.group(2).lower()
    if not closing:
        if name not in TAGS:
            raise EntityError(f'Unsupported start tag "{name}" at byte offset {at}')
        if name == "span" and "tg-spoiler" not in match.group(3):
            raise EntityError('Tag "span" must have class "tg-spoiler"')
        open_tags.append(name)
        return
    if not open_tags:
        raise EntityError(f'Unexpected end tag at byte offset {at}')
    expected = open_tags.pop()
    if name != expected:
        raise EntityError(f'Unmatched end tag at byte offset {at}, expected "</{expected}>", '
                          f'found "</{name}>"')


def parse_html(text: str) -> str:
    """The text Telegram shows for `text` sent with parse_mode HTML."""
    out: list[str] = []
    open_tags: list[str] = []
    i = 0
    while i < len(text):
        char = text[i]
        at = len(text[:i].encode())
        if char == "<":
            match = _TAG.match(text, i)
            if match is None:
                raise EntityError(f"Unexpected < at byte offset {at}")  # a bare "<" or tag
            _tag(match, open_tags, at)
            i = match.end()
        elif char == "&" and (match := _ENTITY.match(text, i)) is not None:
            out.append(_entity(match))
            i = match.end()
        else:
            out.append(char)
            i += 1
    if open_tags:
        raise EntityError(f'Can\'t find end tag corresponding to start tag "{open_tags[-1]}"')
    return "".join(out)
