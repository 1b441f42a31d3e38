"""A rating in a customer's reply to the review request, in en, it, de, fr, es, nl and pt.

``read_rating(text) -> int | None`` (1-5) over the customer's new words (quotes removed).
What counts, first match wins:

- stars: "★★★★", "⭐⭐⭐⭐⭐" (one to five; "☆" counts for nothing);
- a number alone or before a pause on the first line: "5", "5!", "5 - alles bestens";
- a score on a scale of 5 or 10: "4/5", "4 out of 5", "4 su 5", "4 von 5 Sternen",
  "4 sur 5", "4 de 5", "4 van 5", "4 op 5", "10/10" (a 10 scale is halved, half up:
  "7/10" is 4). It counts when nothing but punctuation or stars follows ("4/5, lovely"),
  or when it opens a line and one of the next two words judges ("4/5 very good",
  "3/5 ok but late", "4/5 molto bene", "4/5 très bien", "8/10 alles bestens");
- a number of stars: "5 stelle", "quattro stelle", "cinq étoiles";
- a named score: "rating: 4", "Voto 2", "Bewertung 5".

Not ratings: a score that counts things ("1 out of 5 mugs arrived broken", "order 4/5 items
missing"), a date ("arrived on 4/5", "4/5/2026", "consegnato il 4/5"), "2 of 5",
decimals ("4.5/5"), numbers outside the scale ("6", "10/5", "6 stars").
Pure and total: any text gives an answer, never an exception.
"""

from __future__ import annotations

import re

__all__ = ["read_rating"]

_NUMBER_WORDS = {
    "one": "1", "two": "2", "three": "3", "four": "4", "five": "5",
    "uno": "1", "una": "1", "due": "2", "tre": "3", "quattro": "4", "cinque": "5",
    "ein": "1", "eins": "1", "einen": "1", "zwei": "2", "drei": "3", "vier": "4", "fünf": "5",
    "un": "1", "une": "1", "deux": "2", "trois": "3", "quatre": "4", "cinq": "5",
    "dos": "2", "tres": "3", "cuatro": "4", "cinco": "5",
    "een": "1", "één": "1", "twee": "2", "drie": "3", "vijf": "5",
    "um": "1", "uma": "1", "dois": "2", "duas": "2", "três": "3",
}  # fmt: skip
# Words that judge, one of which follows a score that opens a line ("4/5 very good").
_JUDGING = frozenset("""
    very really so quite pretty good great excellent ok okay fine nice lovely perfect super
    awesome amazing fantastic brilliant solid decent average mediocre bad poor terrible awful
    fast quick slow thanks thank happy satisfied pleased would recommend recommended love
    loved well
    molto davvero proprio bene buono buona ottimo ottima perfetto perfetta bello bella
    bellissimo bellissima grazie soddisfatto soddisfatta contento contenta veloce rapido
    rapida lento lenta male pessimo pessima discreto discreta eccellente consigliato top
    sehr echt wirklich gut bestens toll prima danke schnell langsam zufrieden schön klasse
    okay perfekt mega empfehlenswert hervorragend ausgezeichnet schlecht
    très bien bon bonne parfait parfaite merci rapide lent satisfait satisfaite génial
    géniale excellente assez nickel moyen mauvais mauvaise content contente
    muy bueno perfecto perfecta genial gracias rápido rápida excelente satisfecho
    satisfecha malo mala regular bastante fantástico
    heel erg zeer goed mooi bedankt dank snel tevreden traag langzaam helemaal slecht
    uitstekend
    muito bom boa bem ótimo ótima perfeito perfeita obrigado obrigada satisfeito satisfeita
    contente mau má
""".split())
# A word before a number that makes it a date or a count, not a score ("on 4/5",
# "order 4/5", "consegnato il 4/5", "am 4/5", "le 4/5", "el 4/5", "op 4/5", "em 4/5").
_NOT_AFTER = frozenset("""
    on since until till by before after from to of dated date order orders item items
    delivered arrived shipped ordered received
    il dal al entro fino dopo prima del ordine consegnato consegnata arrivato arrivata
    spedito spedita ricevuto
    am vom bis seit ab zum nach vor bestellung geliefert angekommen versandt erhalten
    le du au depuis avant après commande livré livrée arrivé arrivée reçu
    el desde hasta antes después pedido entregado llegó recibido
    op tot sinds vanaf voor na bestelling geleverd aangekomen ontvangen
    em no desde até depois encomenda entregue chegou recebido
""".split())

# A whole number: not part of "4.5" or "3,5" (decimals) or of a longer number.
_N = r"(?<![0-9])(?<![0-9][.,])([0-9]+)"
_END = r"(?![0-9])(?![.,][0-9])"
_NAMED = r"\b(" + "|".join(sorted(_NUMBER_WORDS, key=len, reverse=True)) + ")"
_STAR_WORDS = (r"(?:stars?|stelle|stella|stelline|sterne?|sternen|étoiles?|estrellas?"
               r"|sterren|ster|estrelas?)\b")
_NOT_A_WORD_NEXT = _END + r"(?!\s*(?!" + _STAR_WORDS + r")[^\W\d_])"  # "rating 4 mugs"
_STARS = ("★", "⭐")
_FIRST_LINE = re.compile(r"^\s*([0-9]+)\s*(?:[.!]*\s*$|[!,;:\-–—])")  # "5", "5 - lovely"
_SCORE = re.compile(_N + r"\s*(?:/|out\s+of|su|von|sur|de|van|op)\s*(5|10)" + _END
                    + r"(?!\s*/\s*[0-9])",  # a date: 4/5/2026
                    re.IGNORECASE)
_PAUSE_NEXT = re.compile(r"\s*(?:$|[^\w\s]|" + _STAR_WORDS + ")", re.IGNORECASE)
_NUMBER_OF_STARS = re.compile(f"(?:{_N}|{_NAMED})" + r"\s*" + _STAR_WORDS, re.IGNORECASE)
_NAMED_SCORE = re.compile(
    r"\b(?:rating|rate|rated|score|voto|valutazione|punteggio|bewertung|note|puntuación"
    r"|nota|cijfer|beoordeling|avaliação)\s*(?:it\s+)?(?:an?\s+)?[:=]?\s*([0-9]+)"
    + _NOT_A_WORD_NEXT,
    re.IGNORECASE,
)
_WORD = re.compile(r"[^\W\d_]+")


def _value(text: str | None, scale: str = "5") -> int | None:
    """1-5 from a number written on `scale` ("5" or "10"); strings compared first, so a
    5,000-digit "number" never reaches int()."""
    value = _NUMBER_WORDS.get((text or "").lower(), text)
    if scale == "10":
        tens = {str(n): (n + 1) // 2 for n in range(1, 11)}
        return tens.get(value or "")
    return int(value) if value in {"1", "2", "3", "4", "5"} else None


def _score(text: str) -> int | None:
    for match in _SCORE.finditer(text):
        before, after = text[:match.start()], text[match.end():]
        words_before = _WORD.findall(before[-40:])
        if before.rstrip().endswith("#") or (
                words_before and words_before[-1].casefold() in _NOT_AFTER):
            continue
        opens_line = not before.rpartition("\n")[2].strip()
        judged = any(w.casefold() in _JUDGING for w in _WORD.findall(after)[:2])
        scored = _PAUSE_NEXT.match(after) is not None or (opens_line and judged)
        if scored and (rating := _value(match.group(1), match.group(2))) is not None:
            return rating
    return None


def _first(pattern: re.Pattern[str], text: str) -> int | None:
    for match in pattern.finditer(text):
        found = next((g for g in match.groups() if g is not None), None)
        if (rating := _value(found)) is not None:
            return rating
    return None


def read_rating(text: str) -> int | None:
    """The rating (1-5) the customer's words give, or None (see the module's rules)."""
    stars = sum(text.count(star) for star in _STARS)
    if 1 <= stars <= 5:
        return stars
    first = _FIRST_LINE.match(text.split("\n", 1)[0])
    if first is not None and (rating := _value(first.group(1))) is not None:
        return rating
    for found in (_score(text), _first(_NUMBER_OF_STARS, text),
                  _first(_NAMED_SCORE, text)):
        if found is not None:
            return found
    return None
