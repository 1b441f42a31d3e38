"""The name a greeting uses: "Hallo Grete," for Grete Müller.

Customers are stored with one full name as they typed it (an order's ``customer.name``, a
mail's display name), never split into given and family names. ``given_name`` derives the
given name with care and gives up rather than guess: a greeting without a name ("Guten Tag,")
is polite, "Hallo Müller," or "Hi Dr.," is not.

- "Grete Müller" → "Grete"; "Hans-Peter Meier" → "Hans-Peter"; "Madonna" → "Madonna";
- "Turing, Alan" (the "Last, First" of address books and Outlook) → "Alan";
- titles and honorifics are skipped: "Dr. Grete Müller", "Sig.ra Anna Bianchi" → the name;
- "GRETE MÜLLER" or "grete müller" → "Grete";
- no answer (None) for a name we cannot split: only a title ("Frau Müller"), an initial
  ("A. Turing", "J.R.R. Tolkien"), digits or an address ("ada@example.com", "Kunde 12"),
  a company ("Acme GmbH"), or a Chinese, Japanese or Korean name (family name first).
"""

from __future__ import annotations

import re

__all__ = ["given_name"]

# Honorifics and titles in the shipped languages (and a few more), compared without dots.
_TITLES = frozenset({
    "mr", "mrs", "ms", "miss", "mx", "dr", "prof", "sir", "dame", "herr", "frau", "fräulein",
    "dipl", "ing", "mag", "sig", "sigra", "sigrina", "signor", "signora", "signorina",
    "dott", "dottssa", "dottoressa", "avv", "arch", "geom", "rag", "mme", "mlle", "m", "sr",
    "sra", "srta", "dhr", "mevr", "hr",
})
# Endings of company names: a company has no given name.
_COMPANIES = frozenset({
    "gmbh", "ag", "kg", "ug", "ltd", "llc", "inc", "plc", "srl", "spa", "sas", "snc",
    "bv", "nv", "co", "corp", "company",
})
_WORD = re.compile(r"[^\W\d_](?:[^\W\d_]|['’-])*", re.UNICODE)


def _bare(token: str) -> str:
    return token.replace(".", "").casefold()


def _is_initial(token: str) -> bool:
    letters = token.replace(".", "").replace("-", "")
    return len(letters) <= 1 or (token.count(".") >= 1 and len(letters) <= 3
                                 and letters.isupper())


def _cased(token: str) -> str:
    """"GRETE" → "Grete", "grete" → "Grete", "McKenzie" as typed."""
    if token.isupper() or token.islower():
        return "-".join(part.capitalize() for part in token.split("-"))
    return token


def _family_first(name: str) -> bool:
    """Han, kana and hangul names put the family name first: we cannot pick the given one."""
    return any("\u3040" <= ch <= "\u9fff" or "\uac00" <= ch <= "\ud7af" for ch in name)


def given_name(full_name: str | None) -> str | None:
    """The given name in ``full_name``, or None when there is none we can be sure of."""
    name = " ".join((full_name or "").split())
    if not name or _family_first(name) or any(ch.isdigit() or ch in "@/\\<>" for ch in name):
        return None
    family, comma, rest = name.partition(",")
    candidates = rest if comma else family
    tokens = candidates.split()
    if any(_bare(token) in _COMPANIES for token in name.replace(",", " ").split()):
        return None
    while tokens and _bare(tokens[0]) in _TITLES:
        tokens.pop(0)
    if not tokens or (not comma and len(tokens) == 1 and len(candidates.split()) > 1):
        return None  # "Frau Müller": the only word left after a title is the family name
    first = tokens[0]
    if _is_initial(first) or not _WORD.fullmatch(first):
        return None
    return _cased(first)
