"""Is the database's schema at the newest migration? (readiness, and CLI error messages)"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path

from alembic.script import ScriptDirectory
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from storage.engine import Database

MIGRATIONS = Path(__file__).parent / "migrations"


class SchemaState(StrEnum):
    CURRENT = "current"  # at the newest migration
    BEHIND = "behind"  # migrated, but older than this code
    EMPTY = "empty"  # never migrated


def newest_revisions() -> frozenset[str]:
    """The head revision ids of the migrations shipped with this code."""
    return frozenset(ScriptDirectory(str(MIGRATIONS)).get_heads())


async def schema_state(db: Database) -> SchemaState:
    """Compare the database's alembic_version with the shipped heads. Raises DBAPIError
    when the database does not answer at all."""
    try:
        async with db.read_sessions() as s:
            rows = set((await s.scalars(text("SELECT version_num FROM alembic_version"))).all())
    except DBAPIError as exc:
        if _missing_table(exc):
            return SchemaState.EMPTY
        raise
    if not rows:
        return SchemaState.EMPTY
    return SchemaState.CURRENT if rows == newest_revisions() else SchemaState.BEHIND


def _missing_table(exc: DBAPIError) -> bool:
    message = str(exc.orig).lower()
    return "no such table" in message or "does not exist" in message
