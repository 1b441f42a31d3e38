"""Normalising what people type: lower case, no accents, apostrophes split off, and the
classifier's features (character n-grams of each word, the words, word pairs).

Numbers, e-mail addresses, codes with digits and long tracking-like tokens become a few
placeholder words, so "ship 1234" and "ship 77" look alike to the classifier.
"""

from __future__ import annotations

import itertools
import re
import unicodedata

_EMAIL = re.compile(r"\S+@\S+\.\S+")
_WORD = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_TRANSLITERATE = str.maketrans({"ß": "ss", "æ": "ae", "ø": "o", "œ": "oe", "’": "'", "`": "'"})
NGRAM_SIZES = (2, 3, 4, 5)


def fold(text: str) -> str:
    """Lower case without accents: "Dov'è la Bestellung?" → "dov'e la bestellung?"."""
    text = text.lower().translate(_TRANSLITERATE)
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


# Chat shorthand, written out before anything reads the words ("hw mny" → "how many").
SHORTHAND = {"hw": "how", "mny": "many", "hmny": "how many", "wat": "what", "wats": "whats",
             "whr": "where", "pls": "please", "plz": "please", "u": "you", "ur": "your",
             "qnt": "quanti", "qnti": "quanti", "xke": "perche", "xche": "perche",
             "nn": "non", "wv": "wie viel", "wieviele": "wie viele"}


def words(text: str) -> list[str]:
    """The words of folded `text`, shorthand written out; codes like `mug-01` stay one
    word."""
    found = _WORD.findall(fold(text))
    return " ".join(SHORTHAND.get(word, word) for word in found).split()


def _shape(word: str) -> str:
    """A placeholder for words that carry values rather than meaning."""
    if word.isdigit():
        return "0"
    letters = sum(c.isalpha() for c in word)
    digits = sum(c.isdigit() for c in word)
    if digits and len(word) >= 8 and "-" not in word:
        return "trk"
    if digits and "-" in word:
        return word.split("-", 1)[0] + " 0"
    if digits and letters:
        return "code"
    return word


def classifier_words(text: str) -> list[str]:
    """Words with values replaced by shapes: "annulla ORD-000045!" → ["annulla", "ord", "0"]."""
    text = _EMAIL.sub(" xemail ", text)
    return " ".join(_shape(word) for word in words(text)).split()


def features(text: str) -> list[str]:
    """The classifier's features of `text`: n-grams of each padded word, words, word pairs."""
    tokens = classifier_words(text)
    found: list[str] = []
    for token in tokens:
        padded = f" {token} "
        found.append("w:" + token)
        for size in NGRAM_SIZES:
            found.extend(padded[i:i + size] for i in range(len(padded) - size + 1))
    found.extend(f"b:{a}_{b}" for a, b in itertools.pairwise(tokens))
    return found or ["<empty>"]
