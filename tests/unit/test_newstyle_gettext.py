"""channels.i18n.gettext_callables (one call each) render exactly what Jinja's own newstyle gettext
renders (jinja2.ext._make_new_gettext and siblings), in HTML and text templates, in every
shipped language, for any variable values."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from jinja2 import DictLoader, pass_context
from jinja2.ext import _gettext_alias

from channels.rendering import OmsEnvironment, _ctx_locale, build_environment

# msgids that the shipped catalogues translate, used the ways our templates use them
BODY = (
    '{{ _("Order") }} {{ _("Hello %(name)s,", name=who) }}\n'
    '{% trans %}Thank you for your order{% endtrans %}\n'
    '{% trans count=n %}{{ count }} item{% pluralize %}{{ count }} items{% endtrans %}\n'
    '{{ ngettext("%(num)d item", "%(num)d items", n) }}\n'
    '{{ pgettext("mail", "Order") }} {{ npgettext("mail", "%(num)d day", "%(num)d days", n) }}\n'
    '{{ _("100%% sure: %(who)s", who=who) }}\n'
    '{{ _("Fish & <i>chips</i> for %(who)s", who=who) }}'  # markup of the text stays
)
TEMPLATES = {"t.html.j2": BODY, "t.txt.j2": BODY}


def _ours() -> OmsEnvironment:
    return build_environment(loader=DictLoader(TEMPLATES))


def _jinjas() -> OmsEnvironment:
    """Plain catalogue lookups under the i18n extension's own newstyle wrappers."""
    env = build_environment(loader=DictLoader(TEMPLATES))
    cats = env.catalogues

    @pass_context
    def _g(ctx: Any, message: str) -> str:
        return cats.translations(_ctx_locale(ctx)).gettext(message)

    @pass_context
    def _n(ctx: Any, singular: str, plural: str, n: int) -> str:
        return cats.translations(_ctx_locale(ctx)).ngettext(singular, plural, n)

    @pass_context
    def _p(ctx: Any, context: str, message: str) -> str:
        return cats.translations(_ctx_locale(ctx)).pgettext(context, message)

    @pass_context
    def _np(ctx: Any, context: str, singular: str, plural: str, n: int) -> str:
        return cats.translations(_ctx_locale(ctx)).npgettext(context, singular, plural, n)

    env.install_gettext_callables(  # type: ignore[attr-defined]
        gettext=_g, ngettext=_n, pgettext=_p, npgettext=_np, newstyle=True)
    env.globals["_"] = _gettext_alias
    return env


OURS, JINJAS = _ours(), _jinjas()


@settings(max_examples=150, deadline=None)
@given(who=st.text(max_size=20), n=st.integers(min_value=0, max_value=30),
       locale=st.sampled_from(sorted(OURS.catalogues.languages)),
       name=st.sampled_from(sorted(TEMPLATES)))
def test_the_same_text_as_jinjas_newstyle_gettext(who: str, n: int, locale: str,
                                                  name: str) -> None:
    context = {"who": who, "n": n, "locale": locale}
    assert OURS.get_template(name).render(context) == \
        JINJAS.get_template(name).render(context)


def test_html_escapes_the_variables_and_keeps_the_text() -> None:
    html = OURS.get_template("t.html.j2").render({"who": "<b>&", "n": 1, "locale": "en"})
    assert "&lt;b&gt;&amp;" in html and "<b>" not in html
    assert "100% sure" in html and "Fish & <i>chips</i> for &lt;b&gt;&amp;" in html
