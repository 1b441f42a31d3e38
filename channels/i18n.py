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
    """`_`, gettext, ngettext, pgettext and npgettext for Jinja's i18n extension in its new
    style, each finding the language of the render it is called from through
    `locale_of(context)`.

    They do what the extension's own new-style wrappers around plain callables do (translate,
    mark the text safe when autoescaping, then always ``%`` the keyword variables, with
    ``num`` and ``context`` set by default), but in one call: through the extension, ``_()``
    is three ``Context.call`` hops (alias, wrapper, callable), a third of a ``/track``
    render. Install them with `install_gettext`."""
    from jinja2 import pass_context
    from markupsafe import Markup

    def tr(ctx: Any) -> gettext.NullTranslations:
        return catalogues.translations(locale_of(ctx))

    def formatted(ctx: Any, text: str, variables: dict[str, Any]) -> str:
        if ctx.eval_ctx.autoescape:
            return Markup(text) % variables  # noqa: S704 (our catalogues, as Jinja does)
        return text % variables

    @pass_context
    def _gettext(ctx: Any, message: str, /, **variables: Any) -> str:
        return formatted(ctx, tr(ctx).gettext(message), variables)

    @pass_context
    def _ngettext(ctx: Any, singular: str, plural: str, n: int, /, **variables: Any) -> str:
        variables.setdefault("num", n)
        return formatted(ctx, tr(ctx).ngettext(singular, plural, n), variables)

    @pass_context
    def _pgettext(ctx: Any, context: str, message: str, /, **variables: Any) -> str:
        variables.setdefault("context", context)
        return formatted(ctx, tr(ctx).pgettext(context, message), variables)

    @pass_context
    def _npgettext(ctx: Any, context: str, singular: str, plural: str, n: int, /,
                   **variables: Any) -> str:
        variables.setdefault("context", context)
        variables.setdefault("num", n)
        return formatted(ctx, tr(ctx).npgettext(context, singular, plural, n), variables)

    return {"_": _gettext, "gettext": _gettext, "ngettext": _ngettext,
            "pgettext": _pgettext, "npgettext": _npgettext}


def install_gettext(env: Any, callables: dict[str, Callable[..., str]]) -> None:
    """Put `gettext_callables` into a Jinja environment with the i18n extension: its
    ``{% trans %}`` blocks compile new style (variables passed as keywords), and ``_``, which
    the extension points at an alias that looks ``gettext`` up again, is the callable itself."""
    env.newstyle_gettext = True
    env.globals.update(callables)
