"""Reading incoming customer mail: what the customer's new words ask for (a return, a rating
or anything else, in en, it, de, fr, es, nl and pt), and whether a robot sent it.

Everything here is pure and total: hostile or broken mail gives an answer, never an exception.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from email.header import decode_header, make_header
from email.message import Message
from email.utils import getaddresses, parseaddr
from typing import Literal

from channels.email.quotes import strip_quoted

MAX_REASON = 500

# --- intent ------------------------------------------------------------------------------

IntentKind = Literal["return", "rating", "message"]


@dataclass(frozen=True)
class Intent:
    kind: IntentKind
    rating: int | None
    reason: str


_RETURN_WORDS = re.compile(
    r"\b(?:returns?|returning|refunds?|refunded|money\s+back|rma"  # en
    r"|send(?:ing)?\s+(?:(?:it|them|this|these|that|those|everything)\s+)?back"
    r"|sent\s+(?:(?:it|them|this|that)\s+)?back"
    r"|reso|restitu\w*|rimbors\w*|render(?:e|lo|la|li|le)"  # it
    r"|(?:ri)?mand\w*\s+indietro|rispedir(?:lo|la|li|le)\s+indietro"
    r"|rücksend\w*|rückgabe|retoure|retournier\w*|\w*erstattung|geld\s+zurück"  # de
    r"|zurück(?:zu)?(?:schicken|senden|geben)|zurückgeschickt|zurückgesendet|umtausch\w*"
    r"|(?:schick|send)\w*\s+(?:\w+\s+){0,3}zurück"
    r"|retour(?:s|ner|né|née|nés|nées)?|renvo\w*|rembours\w*"  # fr
    r"|devoluci[oó]n|devolver\w*|devuelv\w*|reembols\w*"  # es (and pt)
    r"|retourne\w*|retourzend\w*|terug\s*(?:te\s+)?stur\w*|terugstuur\w*"  # nl
    r"|terugbetal\w*|geld\s+terug"
    r"|devolu[çc][ãa]o|devoluções|devolv\w*)\b",  # pt
    re.IGNORECASE,
)
_NUMBER_WORDS = {
    "one": "1", "two": "2", "three": "3", "four": "4", "five": "5",
    "uno": "1", "una": "1", "due": "2", "tre": "3", "quattro": "4", "cinque": "5",
    "ein": "1", "eins": "1", "einen": "1", "zwei": "2", "drei": "3", "vier": "4", "fünf": "5",
    "un": "1", "une": "1", "deux": "2", "trois": "3", "quatre": "4", "cinq": "5",
    "dos": "2", "tres": "3", "cuatro": "4", "cinco": "5",
    "een": "1", "één": "1", "twee": "2", "drie": "3", "vijf": "5",
    "um": "1", "uma": "1", "dois": "2", "duas": "2", "três": "3", "quatro": "4",
}  # fmt: skip
# A whole number: not part of "4.5" or "3,5" (decimals) or of a longer number.
_N = r"(?<![0-9])(?<![0-9][.,])([0-9]+)"
_END = r"(?![0-9])(?![.,][0-9])"
_NAMED = r"\b(" + "|".join(sorted(_NUMBER_WORDS, key=len, reverse=True)) + ")"
_STAR_WORDS = (r"(?:stars?|stelle|stella|stelline|sterne?|sternen|étoiles?|estrellas?"
               r"|sterren|ster|estrelas?)\b")
_NOT_A_WORD_NEXT = _END + r"(?!\s*(?!" + _STAR_WORDS + r")[^\W\d_])"  # "1 out of 5 mugs"
# "5", "5!", "4 - lovely": only on the first line, so a numbered list ("1. broken") is no rating.
_FIRST_LINE_RATING = re.compile(r"^\s*([0-9]+)\s*(?:[.!]*\s*$|[!,;:\-–—])")
_RATING_PATTERNS = (
    re.compile(_N + r"\s*(?:/|out\s+of|su|von|sur|de|van|op)\s*5" + _NOT_A_WORD_NEXT,
               re.IGNORECASE),
    re.compile(f"(?:{_N}|{_NAMED})" + r"\s*" + _STAR_WORDS, re.IGNORECASE),
    re.compile(
        r"\b(?:rating|rate|rated|score|voto|valutazione|punteggio|bewertung|note|puntuación"
        r"|nota|cijfer|beoordeling|avaliação)\s*(?:it\s+)?(?:an?\s+)?[:=]?\s*([0-9]+)"
        + _NOT_A_WORD_NEXT,
        re.IGNORECASE,
    ),
)
_STARS = ("★", "⭐")  # ☆ (an empty star) counts for nothing


def _rating_value(text: str | None) -> int | None:
    # Compare strings: a 5,000-digit "number" must not reach int().
    value = _NUMBER_WORDS.get((text or "").lower(), text)
    return int(value) if value in {"1", "2", "3", "4", "5"} else None


def _rating(text: str) -> int | None:
    stars = sum(text.count(star) for star in _STARS)
    if 1 <= stars <= 5:
        return stars
    first = _FIRST_LINE_RATING.match(text.split("\n", 1)[0])
    if first is not None and (rating := _rating_value(first.group(1))) is not None:
        return rating
    for pattern in _RATING_PATTERNS:
        for match in pattern.finditer(text):
            found = next((g for g in match.groups() if g is not None), None)
            if (rating := _rating_value(found)) is not None:
                return rating
    return None


def read_intent(text: str) -> Intent:
    """A return request wins over a rating; anything else is a message for staff."""
    words = strip_quoted(text)
    reason = words[:MAX_REASON].strip()
    if _RETURN_WORDS.search(words):
        return Intent("return", None, reason)
    rating = _rating(words)
    if rating is not None:
        return Intent("rating", rating, reason)
    return Intent("message", None, reason)


# --- auto replies --------------------------------------------------------------------------

_AUTO_HEADERS = ("X-Autoreply", "X-Autorespond", "X-AutoReply-From", "X-Mail-Autoreply")
_ROBOT_SENDERS = {"mailer-daemon", "postmaster"}
_AUTO_SUBJECT = re.compile(
    r"out\s+of\s+(?:the\s+)?office|automatic\s+reply|auto[-\s]?reply|autoresponse"
    r"|fuori\s+(?:sede|ufficio)|risposta\s+automatica|assente\s+dall'ufficio"
    r"|^\s*(?:undeliverable|undelivered\s+mail|delivery\s+status\s+notification"
    r"|mail\s+delivery\s+failed|non\s+recapitabile)"
    r"|abwesenheitsnotiz|automatische\s+antwort|réponse\s+automatique|absence\s+du\s+bureau"
    r"|respuesta\s+automática|fuera\s+de\s+la\s+oficina|automatisch\s+antwoord"
    r"|resposta\s+automática|ausente\s+do\s+escritório",
    re.IGNORECASE,
)


def header_text(msg: Message, name: str) -> str:
    """A header as readable text, encoded words decoded; "" when absent or undecodable."""
    try:
        raw = msg.get(name)
    except Exception:  # the header registry choked on it
        return ""
    if raw is None:
        return ""
    try:
        return str(make_header(decode_header(str(raw))))
    except Exception:  # malformed encoded words: fall back to what is there
        return str(raw)


def addresses(msg: Message, name: str) -> list[tuple[str, str]]:
    """`(display name, address)` of each address in header `name`, parsed before decoding:
    with `email.policy.default` "=?iso-8859-1?Q?Turing=2C_Alan?= <a@x>" is one address named
    "Turing, Alan". Headers outside the registry (Delivered-To) are parsed as RFC 5322."""
    try:
        header = msg.get(name)
        if header is None:
            return []
        parsed = getattr(header, "addresses", None)
        if parsed is not None:
            return [(a.display_name or "", a.addr_spec or "") for a in parsed]
        return [(n, a) for n, a in getaddresses([str(header)]) if a]
    except Exception:  # a header the registry cannot parse: no address
        return []


def first_address(msg: Message, name: str) -> tuple[str, str]:
    """The first `(display name, address)` of a header; ("", "") when there is none."""
    found = addresses(msg, name)
    return (found[0][0].strip(), found[0][1].strip()) if found else ("", "")


def is_auto_reply(msg: Message) -> bool:
    auto_submitted = header_text(msg, "Auto-Submitted").split(";", 1)[0].strip().lower()
    if auto_submitted and auto_submitted != "no":
        return True
    if any(name in msg for name in _AUTO_HEADERS):  # `in` reads no header value
        return True
    if header_text(msg, "Precedence").strip().lower() in {"bulk", "junk", "auto_reply"}:
        return True
    if msg.get_content_type() == "multipart/report":
        return True
    return_path = header_text(msg, "Return-Path").strip()
    if return_path in {"<>", ""} and "Return-Path" in msg:
        return True
    for name in ("From", "Sender"):
        if first_address(msg, name)[1].rpartition("@")[0].lower() in _ROBOT_SENDERS:
            return True
    if parseaddr(return_path)[1].rpartition("@")[0].lower() in _ROBOT_SENDERS:
        return True
    if "From" in msg and not first_address(msg, "From")[1]:
        return True
    return bool(_AUTO_SUBJECT.search(header_text(msg, "Subject")))
