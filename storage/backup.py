"""`omsbot db backup FILE`: SQLite's online backup API (a consistent copy while other
connections read and write); PostgreSQL has pg_dump for that."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from sqlalchemy.engine import make_url


class BackupRefused(Exception):
    """Why no copy was made, in one line for the operator."""


def backup_sqlite(database_url: str, target: Path) -> int:
    """Copy the SQLite database of `database_url` into the new file `target`; returns the
    number of pages copied. Raises BackupRefused on PostgreSQL, for an existing target, a
    missing database, or a target that cannot be written (its half-written file removed)."""
    url = make_url(database_url)
    if url.get_backend_name() != "sqlite":
        safe = url.set(drivername="postgresql").render_as_string(hide_password=True)
        raise BackupRefused(f"on PostgreSQL use pg_dump: pg_dump --format=custom "
                            f"--file {target} '{safe}'")
    source_path = Path(url.database or "")
    if not url.database or url.database == ":memory:" or not source_path.is_file():
        raise BackupRefused(f"there is no SQLite database at {source_path}")
    if target.exists():
        raise BackupRefused(f"{target} already exists: choose a new file name")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        return _copy(source_path, target)
    except (OSError, sqlite3.Error) as problem:
        if target.is_file():  # ours: it did not exist before
            target.unlink()
        reason = getattr(problem, "strerror", None) or str(problem)
        raise BackupRefused(f"cannot write the backup to {target}: {reason.lower()}"
                            ) from None


def _copy(source_path: Path, target: Path) -> int:
    source = sqlite3.connect(f"file:{source_path}?mode=ro", uri=True)
    try:
        copy = sqlite3.connect(target)
        try:
            source.backup(copy)  # all pages in one step: one consistent snapshot
            return int(copy.execute("PRAGMA page_count").fetchone()[0])
        finally:
            copy.close()
    finally:
        source.close()
