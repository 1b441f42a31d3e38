"""Files kept with a return: photos of the damage, a courier's receipt.

What is kept is decided by the bytes, not by what the sender's mail client claims: a file is
kept when its first bytes are those of an image or a PDF. Its name is only ever a label (shown
and offered as the download name); files are stored under their SHA-256, never under a name.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from domain.inbox.commands import InboundFile

MAX_FILES = 10  # per message: a photo album is not a return request
MAX_LABEL = 120
_EXTENSIONS = {"image/jpeg": ".jpg", "image/png": ".png", "image/gif": ".gif",
               "image/webp": ".webp", "image/heic": ".heic", "application/pdf": ".pdf"}
_HEIF_BRANDS = (b"heic", b"heix", b"mif1", b"msf1", b"hevc", b"heim", b"heis")


@dataclass(eq=False)
class ReturnAttachment:
    """One kept file: `name` a label, `size` in bytes, `sha256` the stored file's key."""

    return_id: int
    name: str
    content_type: str
    size: int
    sha256: str
    created_at: datetime
    id: int | None = None


def sniff(data: bytes) -> str | None:
    """The content type the bytes show (JPEG, PNG, GIF, WebP, HEIC, PDF), or None."""
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if data.startswith((b"GIF87a", b"GIF89a")):
        return "image/gif"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    if data[4:8] == b"ftyp" and data[8:12] in _HEIF_BRANDS:
        return "image/heic"
    if data.startswith(b"%PDF-"):
        return "application/pdf"
    return None


def label(name: str | None, content_type: str, index: int) -> str:
    """A safe label from a sender's file name: its last path segment, no control characters,
    no leading dots, at most 120 characters; `attachment-N.ext` when nothing is left."""
    text = unicodedata.normalize("NFC", name or "")
    text = re.split(r"[/\\]", text)[-1]
    text = "".join(ch for ch in text if unicodedata.category(ch)[0] != "C")
    text = " ".join(text.split()).lstrip(".").strip()
    if not text:
        return f"attachment-{index}{_EXTENSIONS.get(content_type, '')}"
    return text[:MAX_LABEL]


@dataclass(frozen=True)
class KeptFile:
    attachment: ReturnAttachment
    data: bytes


def keepable(return_id: int, files: Sequence[InboundFile], at: datetime) -> list[KeptFile]:
    """The images and PDFs among `files` (at most MAX_FILES), ready to store."""
    kept: list[KeptFile] = []
    for index, file in enumerate(files, start=1):
        content_type = sniff(file.data)
        if content_type is None or len(kept) >= MAX_FILES:
            continue
        kept.append(KeptFile(ReturnAttachment(
            return_id=return_id, name=label(file.name, content_type, index),
            content_type=content_type, size=len(file.data),
            sha256=hashlib.sha256(file.data).hexdigest(), created_at=at), file.data))
    return kept
