"""The text and the files of one message parsed with `email.policy.default`.

Mail clients write any MIME shape: Apple Mail sends text, an inline photo, then more text;
webmail may send HTML only; Outlook labels Windows-1252 bytes as iso-8859-1. Everything here
is total: hostile or broken mail gives an answer, never an exception.
"""

from __future__ import annotations

import codecs
import re
from contextlib import suppress
from email.message import Message
from html.parser import HTMLParser

from domain.inbox.commands import InboundFile

# Labels that in practice carry Windows-1252 bytes (as browsers decode them: WHATWG Encoding).
_WINDOWS_1252_LABELS = frozenset({"iso8859-1", "latin-1", "ascii", "cp1252"})
# C0 controls other than tab and newline, and the C1 controls (what a mislabelled 0x92 becomes).
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_BODY_TYPES = ("text/plain", "text/html")


def clean_text(text: str) -> str:
    """Unix newlines, no control characters but tab and newline."""
    return _CONTROLS.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))


def decode_text(payload: bytes, charset: str | None) -> str:
    """Bytes of a text part as text: iso-8859-1 and us-ascii labels read as Windows-1252,
    an unknown label as UTF-8 (else Windows-1252), undecodable bytes as U+FFFD."""
    try:
        name = codecs.lookup(charset or "utf-8").name
    except LookupError:
        name = ""
    if name in _WINDOWS_1252_LABELS:
        return clean_text(payload.decode("cp1252", errors="replace"))
    if not name:
        try:
            return clean_text(payload.decode("utf-8"))
        except UnicodeDecodeError:
            return clean_text(payload.decode("cp1252", errors="replace"))
    return clean_text(payload.decode(name, errors="replace"))


def _is_body(part: Message) -> bool:
    return (part.get_content_type() in _BODY_TYPES and not part.is_multipart()
            and part.get_content_disposition() != "attachment" and not _filename(part))


def _filename(part: Message) -> str | None:
    try:
        return part.get_filename()
    except Exception:  # a broken RFC 2231 parameter: no label
        return None


def _payload(part: Message) -> bytes:
    try:
        data = part.get_payload(decode=True)
    except Exception:
        return b""
    return data if isinstance(data, bytes) else b""


def _part_text(part: Message) -> str:
    text = decode_text(_payload(part), part.get_content_charset())
    return html_to_text(text) if part.get_content_type() == "text/html" else text


def _children(part: Message) -> list[Message]:
    payload = part.get_payload()
    return [p for p in payload if isinstance(p, Message)] if isinstance(payload, list) else []


def _texts(part: Message) -> list[str]:
    if part.get_content_maintype() == "message":
        return []  # a forwarded message is not the customer's text
    if not part.is_multipart():
        return [_part_text(part)] if _is_body(part) else []
    kids = _children(part)
    if part.get_content_type() == "multipart/alternative":
        with_plain = [k for k in kids if any(
            p.get_content_type() == "text/plain" and _is_body(p) for p in k.walk())]
        for kid in with_plain[:1] or list(reversed(kids)):
            if found := _texts(kid):
                return found
        return []
    return [text for kid in kids for text in _texts(kid)]


def body_text(msg: Message) -> str:
    """Every text part in order (plain preferred over its HTML alternative), joined."""
    parts = [t.strip("\n") for t in _texts(msg)]
    return "\n\n".join(t for t in parts if t.strip()).strip()


def files(msg: Message) -> list[InboundFile]:
    """Every leaf part that is not body text (attachments and inline images), in order."""
    if msg.get_content_maintype() == "message":
        return []  # a forwarded message's files are not the customer's
    if msg.is_multipart():
        return [found for kid in _children(msg) for found in files(kid)]
    if _is_body(msg):
        return []
    return [InboundFile(_filename(msg), msg.get_content_type(), _payload(msg))]


# --- HTML to text -----------------------------------------------------------------------------
# The standard library's parser serves: we need plain text with blockquotes marked as "> "
# lines for the quote stripper, and nothing else. html2text writes Markdown (escapes,
# **bold**, link syntax) that would end up in a return reason.

_BLOCK_TAGS = {
    "p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "table", "ul", "ol",
    "section", "article", "header", "footer", "hr", "pre", "blockquote",
}  # fmt: skip
_PARAGRAPH_TAGS = {"p", "table", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6"}
_SKIPPED_TAGS = {"script", "style", "head", "title"}


class _TextExtractor(HTMLParser):
    """HTML to plain text; quoted blocks come out as "> " lines so the stripper drops them."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[str] = []
        self._line: list[str] = []
        self._quote_depth = 0
        self._skip_depth = 0

    def _blank(self) -> None:
        if self.lines and self.lines[-1].strip("> "):
            self.lines.append(">" * self._quote_depth)

    def _flush(self, *, blank_line: bool = False) -> None:
        text = " ".join("".join(self._line).split())
        self._line = []
        if text:
            self.lines.append("> " * self._quote_depth + text)
        elif blank_line:
            self._blank()

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
            if tag in _PARAGRAPH_TAGS:
                self._blank()  # a paragraph ends with a blank line, as in plain text
            if tag == "blockquote":
                self._quote_depth = max(0, self._quote_depth - 1)

    def handle_data(self, data: str) -> None:
        if not self._skip_depth:
            self._line.append(data)


def html_to_text(html: str) -> str:
    """Readable text of an HTML body; blockquotes as "> " lines."""
    parser = _TextExtractor()
    # html.parser is lenient, but a broken document must never stop a mail from being read.
    with suppress(Exception):
        parser.feed(html)
        parser.close()
    parser._flush()
    lines = [line.rstrip() for line in parser.lines]
    return clean_text(re.sub(r"\n{3,}", "\n\n", "\n".join(lines))).strip()
