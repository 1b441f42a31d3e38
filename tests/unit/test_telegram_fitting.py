"""Clipping Telegram HTML: never past the limit, never inside a tag or an entity."""

from __future__ import annotations

from html import escape

from hypothesis import given
from hypothesis import strategies as st

from channels.telegram.fitting import clip, fits, utf16_length, visible_length
from tests.doubles.telegram_html import parse_html

WORDS = st.lists(st.sampled_from(["ab", "&amp;", "é", " ", "<b>x</b>", "<i>y &lt; z</i>",
                                  '<a href="https://t.me/x?a=1&amp;b=2">link</a>',
                                  "<code>C&amp;D</code>", "<b><i>n</i></b>", "🚚", "𝔸", "👍🏽",
                                  "<b>☕😀</b>"]),
                 max_size=400)


def test_visible_length_counts_text_after_entities() -> None:
    assert visible_length("<b>Ord &amp; co</b>") == len("Ord & co")


def test_astral_characters_count_two_as_telegram_counts_them() -> None:
    assert visible_length("<b>😀</b>") == 2  # U+1F600: a surrogate pair in UTF-16
    assert visible_length("☕𝔸é") == 1 + 2 + 1  # U+2615 is in the BMP, U+1D538 is not
    assert visible_length("👍🏽") == 4  # thumbs up + skin tone: two astral code points


def test_clip_never_splits_a_surrogate_pair() -> None:
    clipped = clip("😀" * 10, limit=6)  # 5 units for text, 1 for the ellipsis

    assert clipped == "😀😀…"
    assert utf16_length(clipped) <= 6


@given(WORDS, st.integers(min_value=2, max_value=200))
def test_clip_is_valid_telegram_html_within_the_limit(words: list[str], limit: int) -> None:
    html = "".join(words)
    clipped = clip(html, limit)

    shown = parse_html(clipped)  # raises on a broken tag or entity
    assert utf16_length(shown) <= limit
    if visible_length(html) <= limit:
        assert clipped == html
    else:
        assert shown.endswith("…")


@given(st.text(max_size=60), WORDS, st.integers(min_value=0, max_value=200))
def test_fits_agrees_with_the_visible_length(text: str, words: list[str], limit: int) -> None:
    html = "".join(words) + "&#128512;&lt;&amp" + escape(text, quote=False)

    assert fits(html, limit) == (visible_length(html) <= limit)
    assert utf16_length(text) == len(text) + sum(1 for c in text if ord(c) > 0xFFFF)
