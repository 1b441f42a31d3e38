"""The Jinja environment shared by every channel: one template per message kind, its text in
gettext strings translated through the catalogues of `channels.i18n`.

Templates live in the ``templates`` package as ``<area>/<name>`` (``email/order_shipped.txt.j2``,
``telegram/track.html.j2``, ``slack/order.md.j2``, ``console/order.txt.j2``). ``render`` puts
the reader's language into the context as ``locale``; ``_()``/``{% trans %}`` translate into
it, and the filters format in it: ``money(amount, currency)`` ("€12.50"), ``amount(amount,
currency)`` ("12.50 EUR", for reports), ``date(value[, width or CLDR pattern])``,
``datetime(value)``, ``time(value)`` (one style per area, see ``formatting.DATE_STYLES``),
``status(value)`` (order, shipment and return statuses in words), ``country(code)``,
``say`` (the domain's words, a ``domain.texts.Text``, in the render's language),
``given_name`` (the name a greeting uses, or None: ``channels.given_names``),
``strong`` (bold in HTML, as is in text), ``nowrap`` (unbroken in HTML) and ``mailto`` (a link
in HTML).
"""

from __future__ import annotations

import functools
import gettext
import os
from collections.abc import Mapping, MutableMapping
from contextvars import ContextVar
from importlib import resources
from pathlib import Path
from types import MappingProxyType
from typing import Any

from jinja2 import (
    BaseLoader,
    Environment,
    FileSystemLoader,
    PackageLoader,
    StrictUndefined,
    pass_context,
    pass_eval_context,
)
from jinja2.nodes import EvalContext
from jinja2.runtime import Context
from markupsafe import Markup

from channels.formatting import (
    DATE_STYLES,
    country_name,
    format_amount,
    format_clock,
    format_day,
    format_moment,
    format_money,
    format_number,
    to_datetime,
    to_decimal,
)
from channels.given_names import given_name
from channels.i18n import SOURCE_LOCALE, Catalogues, gettext_callables, install_gettext
from channels.statuses import status_label
from channels.texts import say

__all__ = ["DEFAULT_LOCALE", "OmsEnvironment", "build_environment",
           "catalogues_of", "format_day", "format_moment", "format_money", "render",
           "resolve_locale", "status_label", "supported_locales", "to_datetime",
           "to_decimal", "translations_for"]

DEFAULT_LOCALE = SOURCE_LOCALE


_DICT_ATTRIBUTES = frozenset(dir(dict))


class OmsEnvironment(Environment):
    """A Jinja environment that knows its message catalogues."""

    catalogues: Catalogues

    def getattr(self, obj: Any, attribute: str) -> Any:
        """``order.number`` on a plain dict (our views): its item, found at once. Jinja tries
        the attribute first and takes the item after the AttributeError, which for a plain
        dict is the same answer for every name that is not one of dict's own."""
        if type(obj) is dict and attribute not in _DICT_ATTRIBUTES:
            try:
                return obj[attribute]
            except KeyError:
                return self.undefined(obj=obj, name=attribute)
        return super().getattr(obj, attribute)

    def make_globals(self, d: MutableMapping[str, Any] | None) -> MutableMapping[str, Any]:
        """A template's globals as one plain dict: the environment's (as they are when the
        template is loaded; ours are all set when the environment is built) under the
        template's own. Jinja's ChainMap is copied key by key, in Python, twice a render."""
        return {**self.globals, **(d or {})}


def catalogues_of(env: Environment) -> Catalogues:
    found = getattr(env, "catalogues", None)
    return found if isinstance(found, Catalogues) else _shipped()


@functools.cache
def _shipped() -> Catalogues:
    """The catalogues under templates/locales, read once per process."""
    return Catalogues()


def supported_locales() -> tuple[str, ...]:
    """The languages shipped as catalogues (templates/locales/*/LC_MESSAGES/omsbot.po)."""
    return _shipped().languages


def resolve_locale(locale: str | None, catalogues: Catalogues | None = None) -> str:
    """Map "it", "it_IT", "it-IT" to a shipped language; anything else to English."""
    return (catalogues or _shipped()).supported(locale) or DEFAULT_LOCALE


def translations_for(locale: str | None) -> gettext.NullTranslations:
    """The shipped catalogue of `locale` (English for a language we do not ship), for words
    said outside a template (a file's title)."""
    return _shipped().translations(resolve_locale(locale))


# What `render` put into the context of the render under way (locale, tz, date_style):
# the macros a template imports (without its context, so that Jinja builds their module
# once, not on every render) format and translate in the render's language through it.
_RENDERING: ContextVar[Mapping[str, Any]] = ContextVar(
    "omsbot_rendering", default=MappingProxyType({}))


def _ctx_value(ctx: Context, key: str) -> Any:
    """`key` of the template's context; in a macro module imported without it (where the
    key is missing), the value the render under way was given."""
    value = ctx.get(key)
    return _RENDERING.get().get(key) if value is None else value


def _ctx_locale(ctx: Context) -> str:
    return str(_ctx_value(ctx, "locale") or DEFAULT_LOCALE)


def _ctx_style(ctx: Context, fmt: str | None) -> str:
    return fmt or str(_ctx_value(ctx, "date_style") or "medium")


@pass_context
def _money_filter(ctx: Context, amount: object, currency: str) -> str:
    return format_money(amount, currency, _ctx_locale(ctx))


@pass_context
def _amount_filter(ctx: Context, amount: object, currency: str, code: bool = True) -> str:
    return format_amount(amount, currency, _ctx_locale(ctx), code=code)


@pass_context
def _number_filter(ctx: Context, value: object) -> str:
    return format_number(value, _ctx_locale(ctx))


@pass_context
def _date_filter(ctx: Context, value: object, fmt: str | None = None) -> str:
    return format_day(value, _ctx_locale(ctx), _ctx_value(ctx, "tz"), _ctx_style(ctx, fmt))


@pass_context
def _datetime_filter(ctx: Context, value: object, fmt: str | None = None) -> str:
    return format_moment(value, _ctx_locale(ctx), _ctx_value(ctx, "tz"), _ctx_style(ctx, fmt))


@pass_context
def _time_filter(ctx: Context, value: object) -> str:
    return format_clock(value, _ctx_locale(ctx), _ctx_value(ctx, "tz"))


@pass_context
def _status_filter(ctx: Context, status: str) -> str:
    env = ctx.environment
    return status_label(status, catalogues_of(env).translations(_ctx_locale(ctx)))


@pass_context
def _say_filter(ctx: Context, text: object) -> str:
    locale = _ctx_locale(ctx)
    return say(text, catalogues_of(ctx.environment).translations(locale), locale)


@pass_context
def _country_filter(ctx: Context, code: str) -> str:
    return country_name(code, _ctx_locale(ctx))


@pass_eval_context
def _strong_filter(eval_ctx: EvalContext, value: object) -> str:
    if eval_ctx.autoescape:
        return Markup("<b>{}</b>").format(value)
    return str(value)


@pass_eval_context
def _nowrap_filter(eval_ctx: EvalContext, value: object) -> str:
    """In HTML, text that must not break across lines (a date such as "25. November 2026")."""
    if eval_ctx.autoescape:
        return Markup('<span style="white-space:nowrap;">{}</span>').format(value)
    return str(value)


@pass_eval_context
def _mailto_filter(eval_ctx: EvalContext, address: object) -> str:
    if eval_ctx.autoescape:
        return Markup('<a href="mailto:{0}" style="color:#2563eb;">{0}</a>').format(address)
    return str(address)


def _autoescape(name: str | None) -> bool:
    # HTML e-mail and Telegram (HTML parse mode) templates are the ones named *.html.j2.
    return name is not None and name.endswith(".html.j2")


def _loader() -> BaseLoader:
    root = resources.files("templates")
    if isinstance(root, os.PathLike):
        return FileSystemLoader(os.fspath(root))
    return PackageLoader("templates", ".")  # installed as a zip: read through the importer


def build_environment(locales_dir: Path | None = None,
                      loader: BaseLoader | None = None) -> OmsEnvironment:
    """The environment with the shipped catalogues (or those under `locales_dir`)."""
    env = OmsEnvironment(
        loader=loader or _loader(),
        undefined=StrictUndefined,
        autoescape=_autoescape,
        trim_blocks=True,
        lstrip_blocks=True,
        extensions=["jinja2.ext.i18n"],
        auto_reload=False,  # templates ship with the code: compiled once, never re-checked
    )
    env.catalogues = Catalogues(locales_dir) if locales_dir else _shipped()
    env.globals["languages"] = env.catalogues.languages  # for "/language de|en|it"
    env.policies["ext.i18n.trimmed"] = True  # {% trans %} blocks: whitespace as in .po
    install_gettext(env, gettext_callables(env.catalogues, _ctx_locale))
    env.filters.update(
        money=_money_filter, amount=_amount_filter, number=_number_filter, date=_date_filter,
        datetime=_datetime_filter, time=_time_filter,
        status=_status_filter, country=_country_filter, strong=_strong_filter,
        nowrap=_nowrap_filter, mailto=_mailto_filter, given_name=given_name,
        say=_say_filter,
    )
    return env


def render(env: Environment, path: str, locale: str | None, context: Mapping[str, Any]) -> str:
    """Render ``<area>/<name>`` (e.g. ``email/invoice.txt.j2``) for a reader of ``locale``.

    ``locale`` is resolved to a shipped language (else English) and goes into the context
    as ``locale``, so the text, dates and amounts are all in that language; ``date_style``
    is the area's one date style.
    """
    area, _, name = path.partition("/")
    if not area or not name:
        raise ValueError(f"template path must be <area>/<name>: {path!r}")
    language = resolve_locale(locale, catalogues_of(env))
    values = {"date_style": DATE_STYLES.get(area, "medium"), **context, "locale": language}
    token = _RENDERING.set(values)
    try:
        return env.get_template(path).render(values).strip()
    finally:
        _RENDERING.reset(token)
