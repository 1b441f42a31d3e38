"""Saying the domain's words (`domain.texts.Text`) in a reader's language.

`say(text, translations)` translates the message id through the catalogue (ngettext when the
text has a plural), then fills in its parameters: a nested `Text` is said the same way, a
`Code("status", …)` is the status in words (`channels.statuses`), a `Number` is written the
reader's way (`locale`: 1.048.576 in German), a list is its items joined with ", ", anything
else is `str()`. A plain `str` is already said and passes unchanged; a
`Text` kept as data in a stored payload (`domain.texts.to_data`) is said as that `Text`.
Templates reach it as the `say` filter (`{{ message | say }}`), in the render's language.
"""

from __future__ import annotations

import gettext
from collections.abc import Mapping

from babel.numbers import format_decimal

from channels.statuses import status_label
from domain.texts import Code, Number, Text, from_data

__all__ = ["say"]


def say(text: object, translations: gettext.NullTranslations, locale: str = "en") -> str:
    """`text` in the language of `translations` (`locale` is that language, for numbers)."""
    if isinstance(text, Mapping) and "msgid" in text:
        text = from_data(text)
    if not isinstance(text, Text):
        return str(text)
    if text.plural is not None:
        template = translations.ngettext(text.msgid, text.plural, text.count)
    else:
        template = translations.gettext(text.msgid)
    if not text.params:
        return template
    return template % {name: _param(value, translations, locale)
                       for name, value in text.params.items()}


def _param(value: object, translations: gettext.NullTranslations, locale: str) -> str:
    if isinstance(value, Text):
        return say(value, translations, locale)
    if isinstance(value, Code):
        return status_label(value.value, translations) if value.kind == "status" else str(value)
    if isinstance(value, Number):
        return format_decimal(value.value, locale=locale)
    if isinstance(value, list | tuple):
        return ", ".join(_param(item, translations, locale) for item in value)
    return str(value)
