"""Files kept with returns: bytes on disk under their SHA-256, metadata in return_attachments.

A file's name is a label in the database only; on disk it is `<root>/<sha[:2]>/<sha>`, so no
name (`../../etc/passwd`, `C:\\x`, NUL) can write outside the root. Identical files share
one copy. Writing is atomic (a temporary file renamed into place).
"""

from __future__ import annotations

import asyncio
import os
import re
import tempfile
from collections.abc import Sequence
from pathlib import Path

from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from domain.queries import View
from domain.returns.attachments import ReturnAttachment
from domain.returns.model import format_rma
from storage import orm

ATTACHMENTS_DIR = Path("var/attachments")
_SHA256 = re.compile(r"[0-9a-f]{64}")


class FileStore:
    """Content-addressed files under `root` (relative paths follow the working directory)."""

    def __init__(self, root: Path = ATTACHMENTS_DIR) -> None:
        self.root = root

    def path(self, sha256: str) -> Path:
        if not _SHA256.fullmatch(sha256):
            raise ValueError("not a SHA-256 hex digest")
        return self.root / sha256[:2] / sha256

    def _write(self, sha256: str, data: bytes) -> None:
        target = self.path(sha256)
        if target.exists():
            return
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, temporary = tempfile.mkstemp(dir=target.parent, prefix=".incoming-")
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
            os.replace(temporary, target)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise

    async def put(self, sha256: str, data: bytes) -> None:
        await asyncio.to_thread(self._write, sha256, data)

    async def read(self, sha256: str) -> bytes | None:
        target = self.path(sha256)
        try:
            return await asyncio.to_thread(target.read_bytes)
        except FileNotFoundError:
            return None


def _from_row(row: object) -> ReturnAttachment:
    r = row._mapping  # type: ignore[attr-defined]
    return ReturnAttachment(return_id=r["return_id"], name=r["name"],
                            content_type=r["content_type"], size=r["size"],
                            sha256=r["sha256"], created_at=r["created_at"], id=r["id"])


class SqlAttachments:
    """The domain's AttachmentRepository."""

    def __init__(self, session: AsyncSession, files: FileStore) -> None:
        self.session = session
        self.files = files

    async def add(self, attachment: ReturnAttachment, data: bytes) -> None:
        await self.files.put(attachment.sha256, data)
        t = orm.return_attachments
        result = await self.session.execute(insert(t).values(
            return_id=attachment.return_id, name=attachment.name,
            content_type=attachment.content_type, size=attachment.size,
            sha256=attachment.sha256, created_at=attachment.created_at).returning(t.c.id))
        attachment.id = int(result.scalar_one())

    async def for_return(self, return_id: int) -> list[ReturnAttachment]:
        return (await attachments_of(self.session, [return_id])).get(return_id, [])


async def attachments_of(session: AsyncSession, return_ids: Sequence[int]
                         ) -> dict[int, list[ReturnAttachment]]:
    """The attachments of several returns at once, in the order they came."""
    if not return_ids:
        return {}
    t = orm.return_attachments
    rows = await session.execute(
        select(t).where(t.c.return_id.in_(list(return_ids))).order_by(t.c.id))
    found: dict[int, list[ReturnAttachment]] = {}
    for row in rows:
        attachment = _from_row(row)
        found.setdefault(attachment.return_id, []).append(attachment)
    return found


def attachment_view(a: ReturnAttachment, files: FileStore) -> View:
    """`{id, name, content_type, size, url, path}`: `url` under the API, `path` on disk
    (the console prints it; the API leaves it out)."""
    assert a.id is not None
    rma = format_rma(a.return_id)
    return {"id": a.id, "name": a.name, "content_type": a.content_type, "size": a.size,
            "url": f"/api/v1/returns/{rma}/attachments/{a.id}", "path": str(files.path(a.sha256))}
