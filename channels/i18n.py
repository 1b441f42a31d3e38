"""Message catalogues: gettext `.po` files under ``templates/locales/<lang>/LC_MESSAGES/``.

A language is shipped when its directory holds ``omsbot.po``; adding one is adding that
file. ``make`` compiles each ``.po`` to ``.mo`` (``pybabel compile``); a ``.mo`` that is
missing or older than its ``.po`` (a fresh clone, a ``.po`` edited since) is compiled in
memory from the ``.po`` instead, so a catalogue is never stale and never missing. English
is the source language: its msgids are the English text, and a string missing from a
catalogue shows in English.
"""

from __future__ import annotations

import gettext
import io
import logging
import os
from collections.abc import Callable
from importlib import resources
from pathlib import Path
from typing import Any

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

log = logging.getLogger(__name__)

DOMAIN = "omsbot"
SOURCE_LOCALE = "en"


def default_locales_dir() -> Path:
    """templates/locales of the installed package."""
    root = resources.files("templates")
    if not isinstance(root, os.PathLike):
        raise RuntimeError("the templates package must be installed as files, not a zip")
    return Path(os.fspath(root)) / "locales"


def language_of(locale: str | None) -> str:
    """"it", "it_IT", "IT-it" → "it"; "" for nothing."""
    return (locale or "").replace("-", "_").split("_", 1)[0].lower()


class Catalogues:
    """The shipped languages and their translations, loaded once per process."""

    def __init__(self, directory: Path | None = None) -> None:
        self.directory = directory or default_locales_dir()
        self._loaded: dict[str, gettext.NullTranslations] = {}
        self.languages = self._discover()

    def _discover(self) -> tuple[str, ...]:
        found = {SOURCE_LOCALE}
        if self.directory.is_dir():
            found |= {entry.name for entry in self.directory.iterdir()
                      if (entry / "LC_MESSAGES" / f"{DOMAIN}.po").is_file()}
        return tuple(sorted(found))

    def supported(self, locale: str | None) -> str | None:
        """The shipped language of `locale`, or None when we do not ship it."""
        language = language_of(locale)
        return language if language in self.languages else None

    def translations(self, language: str) -> gettext.NullTranslations:
        if language not in self._loaded:
            self._loaded[language] = self._load(language)
        return self._loaded[language]

    def _load(self, language: str) -> gettext.NullTranslations:
        folder = self.directory / language / "LC_MESSAGES"
        po, mo = folder / f"{DOMAIN}.po", folder / f"{DOMAIN}.mo"
        if not po.is_file():
            return gettext.NullTranslations()
        if mo.is_file() and mo.stat().st_mtime >= po.stat().st_mtime:
            with mo.open("rb") as compiled:
                return gettext.GNUTranslations(compiled)
        log.debug("compiling %s in memory (no up-to-date .mo; `make` compiles it)", po)
        return gettext.GNUTranslations(io.BytesIO(compile_po(po)))


def compile_po(po: Path) -> bytes:
    """The `.mo` bytes of one `.po` file (fuzzy entries left out, as msgfmt does)."""
    with po.open("rb") as source:
        catalog = read_po(source, locale=po.parent.parent.name, domain=DOMAIN)
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    return buffer.getvalue()


def gettext_callables(catalogues: Catalogues, locale_of: Callable[[Any], str]
                      ) -> dict[str, Callable[..., str]]:
    """gettext, ngettext, pgettext, npgettext for Jinja's i18n extension, each finding the
    language of the render it is called from through `locale_of(context)`."""
    from jinja2 import pass_context

    def tr(ctx: Any) -> gettext.NullTranslations:
        return catalogues.translations(locale_of(ctx))

    @pass_context
    def _gettext(ctx: Any, message: str) -> str:
        return tr(ctx).gettext(message)

    @pass_context
    def _ngettext(ctx: Any, singular: str, plural: str, n: int) -> str:
        return tr(ctx).ngettext(singular, plural, n)

    @pass_context
    def _pgettext(ctx: Any, context: str, message: str) -> str:
        return tr(ctx).pgettext(context, message)

    @pass_context
    def _npgettext(ctx: Any, context: str, singular: str, plural: str, n: int) -> str:
        return tr(ctx).npgettext(context, singular, plural, n)

    return {"gettext": _gettext, "ngettext": _ngettext, "pgettext": _pgettext,
            "npgettext": _npgettext}
