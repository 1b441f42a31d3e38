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


def _tag(match: re.Match[str], open_tags: list[str], text: str) -> None:
    closing, name = match.group(1) == "/", match.group(2).lower()
    at = match.start()
    if not closing:
        if name not in TAGS:
            raise EntityError(f'Unsupported start tag "{name}" at byte offset '
                              f'{_byte_offset(text, at)}')
        if name == "span" and "tg-spoiler" not in match.group(3):
            raise EntityError('Tag "span" must have class "tg-spoiler"')
        open_tags.append(name)
        return
    if not open_tags:
        raise EntityError(f'Unexpected end tag at byte offset {_byte_offset(text, at)}')
    expected = open_tags.pop()
    if name != expected:
        raise EntityError(f'Unmatched end tag at byte offset {_byte_offset(text, at)}, '
                          f'expected "</{expected}>", found "</{name}>"')


_SPECIAL = re.compile(r"[<&]")


def parse_html(text: str) -> str:
    """The text Telegram shows for `text` sent with parse_mode HTML."""
    out: list[str] = []
    open_tags: list[str] = []
    i = 0
    while (special := _SPECIAL.search(text, i)) is not None:
        start = special.start()
        out.append(text[i:start])
        if text[start] == "<":
            match = _TAG.match(text, start)
            if match is None:  # a bare "<" or tag
                raise EntityError(f"Unexpected < at byte offset {_byte_offset(text, start)}")
            _tag(match, open_tags, text)
            i = match.end()
        elif (match := _ENTITY.match(text, start)) is not None:
            out.append(_entity(match))
            i = match.end()
        else:  # an "&" that starts no entity is text
            out.append("&")
            i = start + 1
    out.append(text[i:])
    if open_tags:
        raise EntityError(f'Can\'t find end tag corresponding to start tag "{open_tags[-1]}"')
    return "".join(out)


def _byte_offset(text: str, index: int) -> int:
    """Telegram's offsets in its errors count UTF-8 bytes."""
    return len(text[:index].encode())
