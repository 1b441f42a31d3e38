"""The wire form of an outgoing mail: ``multipart/alternative`` (plain text, then HTML) as
RFC 5322 bytes, with the envelope it is sent under.

Why not `EmailMessage` all the way: building one and flattening it cost ~10 ms a mail
(the header registry parses every header it is given, then folds it again), more than
rendering the templates and reading the order together. Here a header in ASCII, as
nearly all of ours are, is written as it is (folded at spaces when long); any other goes
through the standard library's own header classes and folding (`email.policy.SMTP`:
RFC 2047 encoded words, address headers kept parseable). Both bodies are
quoted-printable by `binascii.b2a_qp` (C), so neither a long line nor a non-ASCII letter
needs 8BITMIME, and the ``=_`` boundary can never occur in them.
`OutgoingMail.message()` parses the bytes back for whoever wants to read the mail as an
`EmailMessage` (tests, previews).
"""

from __future__ import annotations

import binascii
import email.policy
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from email import message_from_bytes
from email.message import EmailMessage

_MAX_PLAIN_HEADER = 78  # RFC 5322 §2.1.1: lines SHOULD be no longer than this
_WIRE = email.policy.SMTP  # CRLF line ends, RFC 2047 for what is not ASCII

Header = tuple[str, str]


@dataclass(frozen=True)
class OutgoingMail:
    """One composed mail: the envelope (`sender`, `recipients`: plain addresses) and the
    message as it goes on the wire (`data`, CRLF line ends); `message_id` is its
    ``Message-ID`` header, angle brackets included."""

    sender: str
    recipients: tuple[str, ...]
    message_id: str
    data: bytes

    def message(self) -> EmailMessage:
        """The mail parsed (`email.policy.default`), to read its headers and parts."""
        return message_from_bytes(self.data, policy=email.policy.default)


def header_line(name: str, value: str) -> bytes:
    """``Name: value`` and its CRLF, folded and encoded as RFC 5322 and 2047 want.

    Raises ValueError for a value holding a line break (a header injection)."""
    if "\r" in value or "\n" in value:
        raise ValueError(f"header {name} may not contain a line break")
    if not value.isascii():
        folded: str = _WIRE.header_factory(name, value).fold(policy=_WIRE)
        return folded.encode("ascii")
    return (_fold_ascii(f"{name}: {value}") + "\r\n").encode("ascii")


def _fold_ascii(line: str) -> str:
    """RFC 5322 §2.2.3 folding of ASCII text: a line break before a space where a line
    would grow past 78 characters; a longer word stays whole (as URLs must)."""
    if len(line) <= _MAX_PLAIN_HEADER:
        return line
    lines: list[str] = []
    current = ""
    for i, word in enumerate(line.split(" ")):
        if i > 1 and word and len(current) + 1 + len(word) > _MAX_PLAIN_HEADER:
            lines.append(current)
            current = " " + word
        else:
            current = f"{current} {word}" if i else word
    lines.append(current)
    return "\r\n".join(lines)


def _qp(text: str) -> bytes:
    """Quoted-printable UTF-8 with CRLF line ends (`text` has "\\n" line ends)."""
    return binascii.b2a_qp(text.encode("utf-8"), istext=True).replace(b"\n", b"\r\n")


def _part(boundary: str, subtype: str, text: str) -> bytes:
    head = (f"--{boundary}\r\nContent-Type: text/{subtype}; charset=\"utf-8\"\r\n"
            "Content-Transfer-Encoding: quoted-printable\r\n\r\n")
    body = _qp(text.replace("\r\n", "\n").replace("\r", "\n"))
    return head.encode("ascii") + body + (b"" if body.endswith(b"\r\n") else b"\r\n")


def alternative(headers: Sequence[Header], text: str, html: str) -> bytes:
    """The message bytes: `headers` in order, then the plain and the HTML part."""
    boundary = f"=_{uuid.uuid4().hex}"
    lines = [header_line(name, value) for name, value in headers]
    lines.append(b"MIME-Version: 1.0\r\n")
    lines.append(f"Content-Type: multipart/alternative; boundary=\"{boundary}\"\r\n\r\n"
                 .encode("ascii"))
    lines.append(_part(boundary, "plain", text))
    lines.append(_part(boundary, "html", html))
    lines.append(f"--{boundary}--\r\n".encode("ascii"))
    return b"".join(lines)
