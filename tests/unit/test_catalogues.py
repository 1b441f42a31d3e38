"""The message catalogues: complete for every shipped language, placeholders intact, and a
new language is one more `.po` file."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

from channels.i18n import Catalogues, compile_po, default_locales_dir
from channels.rendering import build_environment, render, resolve_locale
from channels.staff_render import render_template, staff_environment

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = ("en", "it", "de")


def extracted() -> set[str]:
    """Every msgid (singular) in the templates and the N_() words, as `make messages` sees."""
    with (ROOT / "babel.cfg").open() as cfg:
        method_map, options_map = parse_mapping_cfg(cfg)
    keywords = {"_": None, "gettext": None, "ngettext": (1, 2), "pgettext": ((1, "c"), 2),
                "N_": None, "NN_": (1, 2)}
    found = set()
    for _, _, message, _, _ in extract_from_dir(str(ROOT), method_map, options_map,
                                                keywords=keywords):
        found.add(message if isinstance(message, str) else message[0])
    return {m for m in found if m}


def catalogue(language: str) -> Catalog:
    with (default_locales_dir() / language / "LC_MESSAGES" / "omsbot.po").open("rb") as po:
        return read_po(po, locale=language)


def test_the_shipped_languages_are_the_po_files() -> None:
    assert set(Catalogues().languages) == set(SHIPPED)


@pytest.mark.parametrize("language", ["it", "de"])
def test_every_text_is_translated_with_its_placeholders(language: str) -> None:
    cat = catalogue(language)
    translated = {m.id if isinstance(m.id, str) else m.id[0]: m for m in cat if m.id}

    missing = sorted(extracted() - translated.keys())
    assert not missing, f"{language}: run `make messages` and translate: {missing[:10]}"
    empty = [i for i, m in translated.items()
             if not (m.string if isinstance(m.string, str) else all(m.string))]
    assert not empty, f"{language}: untranslated: {empty[:10]}"
    problems = [(m.id, [str(e) for e in errors]) for m, errors in cat.check()]
    assert not problems, problems  # python-format: the same %(name)s on both sides


def test_the_template_catalogue_is_current() -> None:
    with (default_locales_dir() / "omsbot.pot").open("rb") as pot:
        ids = {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(pot) if m.id}
    assert ids == extracted()


def test_compiled_catalogue_matches_the_po(tmp_path: Path) -> None:
    po = default_locales_dir() / "de" / "LC_MESSAGES" / "omsbot.po"
    mo = tmp_path / "omsbot.mo"
    subprocess.run([sys.executable, "-m", "babel.messages.frontend", "compile", "-D", "omsbot",
                    "-i", str(po), "-o", str(mo)], check=True, capture_output=True)
    assert mo.read_bytes() == compile_po(po)


FRENCH = r'''
msgid ""
msgstr ""
"Language: fr\n"
"Content-Type: text/plain; charset=utf-8\n"
"Plural-Forms: nplurals=2; plural=(n > 1);\n"

msgid "Order %(number)s confirmed – thank you!"
msgstr "Commande %(number)s confirmée – merci !"

msgid "What I can do"
msgstr "Ce que je sais faire"

msgid "Total"
msgstr "Total"

msgid "confirmed"
msgstr "confirmée"

msgid "… and %(count)s more item"
msgid_plural "… and %(count)s more items"
msgstr[0] "… et %(count)s autre article"
msgstr[1] "… et %(count)s autres articles"
'''


def test_a_new_language_is_one_po_file(tmp_path: Path) -> None:
    folder = tmp_path / "fr" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    (folder / "omsbot.po").write_text(FRENCH, encoding="utf-8")
    subprocess.run([sys.executable, "-m", "babel.messages.frontend", "compile", "-D", "omsbot",
                    "-d", str(tmp_path)], check=True, capture_output=True)
    env = build_environment(locales_dir=tmp_path)
    order = {"number": "ORD-000007", "status": "confirmed", "total": "1234.50",
             "currency": "EUR", "lines": [{"quantity": 1, "name": "Mug"}] * 3,
             "shipments": []}

    subject = render(env, "email/order_confirmation.subject.j2", "fr-CA", {"order": order})
    track = render(env, "telegram/track.html.j2", "fr", {"order": order, "shown": 1,
                                                          "hidden": 2, "tz": "UTC"})
    helped = render(env, "telegram/help.html.j2", "fr", {})

    assert resolve_locale("fr_FR", env.catalogues) == "fr"  # type: ignore[attr-defined]
    assert subject == "Commande ORD-000007 confirmée – merci !"
    assert "<b>Order ORD-000007</b>: confirmée" in track  # untranslated: English
    assert "… et 2 autres articles" in track
    assert "1\u202f234,50\u00a0€" in track  # French money by Babel, no code change
    assert "Ce que je sais faire" in helped and "/language en|fr" in helped


@pytest.mark.parametrize(("language", "word"), [("en", "made"), ("it", "ha reso"),
                                                ("de", "hat")])
def test_staff_replies_follow_the_staff_locale(language: str, word: str) -> None:
    env = staff_environment(language)
    text = render_template(env, "slack", "staff_set", {
        "by": "<@UADMIN>", "user_id": "UANN", "role": "operator", "previous": None})
    assert word in text


def test_a_po_without_its_mo_is_compiled_in_memory(tmp_path: Path) -> None:
    folder = tmp_path / "fr" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    (folder / "omsbot.po").write_text(FRENCH, encoding="utf-8")  # never compiled

    catalogues = Catalogues(tmp_path)

    assert catalogues.languages == ("en", "fr")
    assert catalogues.translations("fr").gettext("What I can do") == "Ce que je sais faire"
    assert not (folder / "omsbot.mo").exists()
