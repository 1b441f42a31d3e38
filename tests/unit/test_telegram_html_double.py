"""The Bot API double's HTML parser scans for `<` and `&` instead of walking every
character (the walk measured the byte offset of each one: quadratic in the message's length,
and in bench/telegram.py it charged a long reply's bot for the double's time). Held here to
the character walk it replaced, kept as the reference, on arbitrary text and markup."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.doubles.telegram_html import _ENTITY, _TAG, EntityError, _entity, _tag, parse_html


def reference(text: str) -> str:
    """The first version: one character at a time, the byte offset taken at each."""
    out: list[str] = []
    open_tags: list[str] = []
    i = 0
    while i < len(text):
        char = text[i]
        if char == "<":
            match = _TAG.match(text, i)
            if match is None:
                raise EntityError(f"Unexpected < at byte offset {len(text[:i].encode())}")
            _tag(match, open_tags, text)
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


PIECES = st.sampled_from([
    "<b>", "</b>", "<i>", "</i>", "<code>", "</code>", '<a href="https://x.example/?a=1&b=2">',
    "</a>", '<span class="tg-spoiler">', "<span>", "</span>", "<p>", "</p>", "<", ">", "&",
    "&amp;", "&lt;", "&gt;", "&quot;", "&nbsp;", "&#228;", "&#x1F4E6;", "&#;", "ä", "📦", " ",
    "\n", "Order 12", "×", "<b", "</", "<1>",
])


def outcome(parse: object, text: str) -> tuple[str, str]:
    try:
        return "ok", parse(text)  # type: ignore[operator]
    except EntityError as exc:
        return "error", str(exc)


@settings(max_examples=800, deadline=None)
@given(st.lists(st.one_of(PIECES, st.text(max_size=6)), max_size=30).map("".join))
def test_the_scan_parses_and_refuses_as_the_character_walk_did(text: str) -> None:
    assert outcome(parse_html, text) == outcome(reference, text)


def test_offsets_in_errors_count_utf8_bytes() -> None:
    assert outcome(parse_html, "äö <x>") == (
        "error", 'Bad Request: can\'t parse entities: Unsupported start tag "x" at byte offset 5')
    assert outcome(parse_html, "📦 </b>") == (
        "error", "Bad Request: can't parse entities: Unexpected end tag at byte offset 5")
