"""What is kept of a customer's files: images and PDFs by their bytes, names only as labels."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.inbox.commands import InboundFile
from domain.returns.attachments import MAX_FILES, keepable, label, sniff
from storage.attachments import FileStore
from tests.conftest import NOW

JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 20
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 20
PDF = b"%PDF-1.7\n"
HEIC = b"\x00\x00\x00\x18ftypheic" + b"\x00" * 12
WEBP = b"RIFF\x00\x00\x00\x00WEBPVP8 "


@pytest.mark.parametrize(("data", "kind"), [
    (JPEG, "image/jpeg"), (PNG, "image/png"), (PDF, "application/pdf"), (HEIC, "image/heic"),
    (WEBP, "image/webp"), (b"GIF89a...", "image/gif"), (b"MZ\x90\x00", None),
    (b"<html><script>", None), (b"", None),
])
def test_the_bytes_decide_the_type(data: bytes, kind: str | None) -> None:
    assert sniff(data) == kind


@pytest.mark.parametrize(("name", "expected"), [
    ("IMG_0421.jpeg", "IMG_0421.jpeg"),
    ("../../../../etc/passwd", "passwd"),
    ("..\\..\\windows\\receipt.pdf", "receipt.pdf"),
    ("..", "attachment-3.jpg"),
    ("  .hidden photo.jpg ", "hidden photo.jpg"),
    ("foto\x00\x1b[31m rossa.jpg", "foto[31m rossa.jpg"),
    (None, "attachment-3.jpg"),
    ("Fo\u0301to.JPG", "Fóto.JPG"),
])
def test_a_name_becomes_a_label(name: str | None, expected: str) -> None:
    assert label(name, "image/jpeg", 3) == expected


@given(st.one_of(st.none(), st.text(max_size=400)))
def test_a_label_is_never_a_path(name: str | None) -> None:
    found = label(name, "application/pdf", 1)
    assert found and len(found) <= 120
    assert "/" not in found and "\\" not in found and not found.startswith(".")
    assert all(ch.isprintable() or ch == " " for ch in found)


def test_only_images_and_pdfs_are_kept_at_most_ten() -> None:
    files = [InboundFile("a.jpg", "image/jpeg", JPEG), InboundFile("x.exe", "image/png", b"MZ"),
             InboundFile("r.pdf", "application/octet-stream", PDF),
             *[InboundFile(f"{n}.png", "image/png", PNG + bytes([n])) for n in range(12)]]
    kept = keepable(7, files, NOW)
    assert len(kept) == MAX_FILES
    first, second = kept[0].attachment, kept[1].attachment
    assert (first.name, first.content_type, first.size, first.return_id) == (
        "a.jpg", "image/jpeg", len(JPEG), 7)
    assert (second.name, second.content_type) == ("r.pdf", "application/pdf")  # by its bytes


async def test_the_file_store_writes_under_the_digest_only(tmp_path: Path) -> None:
    store = FileStore(tmp_path / "files")
    digest = "ab" * 32
    await store.put(digest, b"photo")
    await store.put(digest, b"photo")  # identical files share one copy
    assert store.path(digest) == tmp_path / "files" / "ab" / digest
    assert await store.read(digest) == b"photo"
    assert await store.read("cd" * 32) is None
    for hostile in ("../../etc/passwd", "AB" * 32, "ab" * 31, ""):
        with pytest.raises(ValueError, match="SHA-256"):
            store.path(hostile)
    assert [p.name for p in (tmp_path / "files").rglob("*") if p.is_file()] == [digest]
