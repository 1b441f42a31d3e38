"""Reading incoming customer mail: the new text, what it asks for, and whether a robot sent it.

Everything here is pure and total: hostile or broken mail gives an answer, never an exception.
"""

from __future__ import annotations

import re
from contextlib import suppress
from dataclasses import dataclass
from email.header import decode_header, make_header
from email.message import Message
from email.utils import parseaddr
from html.parser import HTMLParser
from typing import Literal

MAX_REASON = 500

# --- quoted text -------------------------------------------------------------------------

# A line (or two lines joined: Gmail wraps long attributions) that introduces the quote.
_ATTRIBUTION = re.compile(
    r"^\s*(?:on\s.{1,300}\swrote:|il\s.{1,300}\sha\sscritto:|le\s.{1,300}\sa\sécrit\s?:)\s*$",
    re.IGNORECASE | re.DOTALL,
)
# Only a line with a date or time in it may begin a wrapped attribution.
_ATTRIBUTION_START = re.compile(r"^\s*(?:on|il|le)\s.*[0-9]", re.IGNORECASE)
_SEPARATOR = re.compile(
    r"^\s*(?:-{2,}\s*(?:original\s+message|messaggio\s+originale|forwarded\s+message"
    r"|messaggio\s+inoltrato)\s*-{2,}|_{10,}|(?:begin\s+forwarded\s+message"
    r"|inizio\s+messaggio\s+inoltrato)\s*:)\s*$",
    re.IGNORECASE,
)
_HEADER_FROM = re.compile(r"^\s*\*?(?:from|da)\s*:\*?\s", re.IGNORECASE)
_HEADER_NEXT = re.compile(
    r"^\s*\*?(?:sent|date|to|subject|inviato|data|a|oggetto)\s*:", re.IGNORECASE
)
_HEADER_INLINE = re.compile(r"^\s*(?:from|da)\s*:.+\s(?:sent|inviato)\s*:", re.IGNORECASE)
_SIGNATURE = re.compile(r"^--\s*$")
_MOBILE_FOOTER = re.compile(
    r"^\s*(?:sent\s+from\s+my\s|sent\s+from\s|inviato\s+da\s|inviato\s+dal\s+mio\s"
    r"|get\s+outlook\s+for\s|ottieni\s+outlook\s+per\s|scarica\s+outlook\s+per\s).{0,40}$",
    re.IGNORECASE,
)


def _starts_quote(lines: list[str], i: int) -> bool:
    line = lines[i]
    if _SEPARATOR.match(line) or _SIGNATURE.match(line) or _HEADER_INLINE.match(line):
        return True
    if _ATTRIBUTION.match(line):
        return True
    following = [f.strip() for f in lines[i + 1 : i + 3]]
    if following and _ATTRIBUTION_START.match(line):
        for n in (1, 2):  # Gmail and Apple Mail wrap a long attribution over two or three lines
            if _ATTRIBUTION.match(" ".join([line.strip(), *following[:n]])):
                return True
    return bool(_HEADER_FROM.match(line)) and any(_HEADER_NEXT.match(f) for f in following)


def strip_quoted(text: str) -> str:
    """The customer's own words: no ">" lines, nothing after an attribution or a signature."""
    lines = str(text).replace("\r\n", "\n").replace("\r", "\n").split("\n")
    kept: list[str] = []
    for i, line in enumerate(lines):
        if line.lstrip().startswith(">"):
            continue
        if _starts_quote(lines, i):
            break
        kept.append(line.rstrip())
    while kept and (not kept[-1].strip() or _MOBILE_FOOTER.match(kept[-1])):
        kept.pop()
    return re.sub(r"\n{3,}", "\n\n", "\n".join(kept)).strip()


# --- intent ------------------------------------------------------------------------------

IntentKind = Literal["return", "rating", "message"]


@dataclass(frozen=True)
class Intent:
    kind: IntentKind
    rating: int | None
    reason: str


_RETURN_WORDS = re.compile(
    r"\b(?:returns?|returning|refunds?|refunded|money\s+back|rma"
    r"|send(?:ing)?\s+(?:(?:it|them|this|these|that|those|everything)\s+)?back"
    r"|sent\s+(?:(?:it|them|this|that)\s+)?back"
    r"|reso|restitu\w*|rimbors\w*|render(?:e|lo|la|li|le)"
    r"|(?:ri)?mand\w*\s+indietro|rispedir(?:lo|la|li|le)\s+indietro)\b",
    re.IGNORECASE,
)
_NUMBER_WORDS = {
    "one": "1", "two": "2", "three": "3", "four": "4", "five": "5",
    "uno": "1", "una": "1", "due": "2", "tre": "3", "quattro": "4", "cinque": "5",
}  # fmt: skip
# A whole number: not part of "4.5" or "3,5" (decimals) or of a longer number.
_N = r"(?<![0-9])(?<![0-9][.,])([0-9]+)"
_END = r"(?![0-9])(?![.,][0-9])"
_NAMED = r"\b(one|two|three|four|five|uno|una|due|tre|quattro|cinque)"
_NOT_A_WORD_NEXT = _END + r"(?!\s*(?!stars?\b|stelle\b)[^\W\d_])"  # "1 out of 5 mugs"
# "5", "5!", "4 - lovely": only on the first line, so a numbered list ("1. broken") is no rating.
_FIRST_LINE_RATING = re.compile(r"^\s*([0-9]+)\s*(?:[.!]*\s*$|[!,;:\-–—])")
_RATING_PATTERNS = (
    re.compile(_N + r"\s*(?:/|out\s+of|su)\s*5" + _NOT_A_WORD_NEXT, re.IGNORECASE),
    re.compile(f"(?:{_N}|{_NAMED})" + r"\s*(?:stars?|stelle|stella|stelline)\b", re.IGNORECASE),
    re.compile(
        r"\b(?:rating|rate|rated|score|voto|valutazione|punteggio)\s*(?:it\s+)?(?:an?\s+)?"
        r"[:=]?\s*([0-9]+)" + _END,
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
    r"|mail\s+delivery\s+failed|non\s+recapitabile)",
    re.IGNORECASE,
)


def header_text(msg: Message, name: str) -> str:
    """A header as readable text, encoded words decoded; "" when absent or undecodable."""
    raw = msg.get(name)
    if raw is None:
        return ""
    try:
        return str(make_header(decode_header(str(raw))))
    except Exception:  # malformed encoded words: fall back to what is there
        return str(raw)


def is_auto_reply(msg: Message) -> bool:
    auto_submitted = header_text(msg, "Auto-Submitted").split(";", 1)[0].strip().lower()
    if auto_submitted and auto_submitted != "no":
        return True
    if any(msg.get(name) is not None for name in _AUTO_HEADERS):
        return True
    if header_text(msg, "Precedence").strip().lower() in {"bulk", "junk", "auto_reply"}:
        return True
    if msg.get_content_type() == "multipart/report":
        return True
    return_path = header_text(msg, "Return-Path").strip()
    if return_path in {"<>", ""} and msg.get("Return-Path") is not None:
        return True
    for name in ("From", "Sender", "Return-Path"):
        address = parseaddr(header_text(msg, name))[1]
        if address.rpartition("@")[0].lower() in _ROBOT_SENDERS:
            return True
    if msg.get("From") is not None and not parseaddr(header_text(msg, "From"))[1]:
        return True
    return bool(_AUTO_SUBJECT.search(header_text(msg, "Subject")))


# --- the text of a message -------------------------------------------------------------------

_BLOCK_TAGS = {
    "p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "table", "ul", "ol",
    "section", "article", "header", "footer", "hr", "pre", "blockquote",
}  # fmt: skip
_PARAGRAPH_TAGS = {"p", "table", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6"}
_SKIPPED_TAGS = {"script", "style", "head", "title"}


class _TextExtractor(HTMLParser):
    """HTML to plain text; quoted blocks come out as "> " lines so strip_quoted drops them."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[str] = []
        self._line: list[str] = []
        self._quote_depth = 0
        self._skip_depth = 0

    def _flush(self, *, blank_line: bool = False) -> None:
        text = " ".join("".join(self._line).split())
        self._line = []
        if text:
            self.lines.append("> " * self._quote_depth + text)
        elif blank_line and self.lines and self.lines[-1]:
            self.lines.append("")

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIPPED_TAGS:
            self._skip_depth += 1
        elif tag in _BLOCK_TAGS:
            self._flush(blank_line=tag == "br")
            if tag == "blockquote":
                self._quote_depth += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIPPED_TAGS:
            self._skip_depth = max(0, self._skip_depth - 1)
        elif tag in _BLOCK_TAGS:
            self._flush()
            if tag in _PARAGRAPH_TAGS and self.lines and self.lines[-1]:
                self.lines.append("")  # a paragraph ends with a blank line, as in plain text
            if tag == "blockquote":
                self._quote_depth = max(0, self._quote_depth - 1)

    def handle_data(self, data: str) -> None:
        if not self._skip_depth:
            self._line.append(data)


def html_to_text(html: str) -> str:
    parser = _TextExtractor()
    # html.parser is lenient, but a broken document must never stop a mail from being read.
    with suppress(Exception):
        parser.feed(html)
        parser.close()
    parser._flush()
    return "\n".join(parser.lines).strip()


def _decoded(part: Message) -> str:
    try:
        payload = part.get_payload(decode=True)
    except Exception:
        return ""
    if not isinstance(payload, bytes):
        return ""
    charset = part.get_content_charset() or "utf-8"
    try:
        return payload.decode(charset, errors="replace")
    except LookupError:  # an unknown charset name: UTF-8 is the best guess today
        return payload.decode("utf-8", errors="replace")


def _body_parts(msg: Message) -> list[Message]:
    """Leaf parts of the message itself: attachments and forwarded messages left out."""
    if msg.is_multipart():
        parts: list[Message] = []
        payload = msg.get_payload()
        for sub in payload if isinstance(payload, list) else []:
            if isinstance(sub, Message) and sub.get_content_maintype() != "message":
                parts.extend(_body_parts(sub))
        return parts
    if msg.get_content_disposition() == "attachment":
        return []
    return [msg]


def extract_text(msg: Message) -> str:
    """The best plain-text body: the text/plain part, else the HTML part as text."""
    parts = _body_parts(msg)
    for part in parts:
        if part.get_content_type() == "text/plain":
            return _decoded(part).replace("\r\n", "\n").strip()
    for part in parts:
        if part.get_content_type() == "text/html":
            return html_to_text(_decoded(part))
    return ""
