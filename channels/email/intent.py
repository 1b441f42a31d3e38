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
from channels.email.rating import read_rating

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


def read_intent(text: str) -> Intent:
    """A return request wins over a rating; anything else is a message for staff."""
    words = strip_quoted(text)
    reason = words[:MAX_REASON].strip()
    if _RETURN_WORDS.search(words):
        return Intent("return", None, reason)
    rating = read_rating(words)
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
