"""Is the database's schema at the newest migration? (readiness, and CLI error messages)"""

from __future__ import annotations

import ast
from enum import StrEnum
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from storage.engine import Database

MIGRATIONS = Path(__file__).parent / "migrations"
VERSIONS = MIGRATIONS / "versions"


class SchemaState(StrEnum):
    CURRENT = "current"  # at the newest migration
    BEHIND = "behind"  # migrated, but older than this code
    EMPTY = "empty"  # never migrated


def newest_revisions(versions: Path = VERSIONS) -> frozenset[str]:
    """The head revision ids of the migrations in `versions`: the revisions that no other
    one names in its `down_revision` (a str, a tuple of them for a merge, or None).

    Read from each file's module-level `revision` and `down_revision` literals, the form
    alembic's own `script.py.mako` writes, without importing alembic: its ScriptDirectory
    imports alembic, mako and pygments and executes every migration (~0.15 s of each start
    of `omsbot run`, against a 2 s goal). tests/unit/test_schema_heads.py holds this to
    `ScriptDirectory.get_heads()` on the shipped migrations and on generated graphs."""
    revisions: set[str] = set()
    parents: set[str] = set()
    for path in versions.glob("*.py"):
        found = _revision_literals(path)
        if "revision" not in found:
            continue  # __init__.py, or a helper module beside the migrations
        revisions.add(str(found["revision"]))
        down = found.get("down_revision")
        if isinstance(down, str):
            parents.add(down)
        elif isinstance(down, tuple | list):
            parents.update(str(d) for d in down)
    return frozenset(revisions - parents)


def _revision_literals(path: Path) -> dict[str, object]:
    """`revision` and `down_revision` as assigned at the top level of one migration file
    (plain or annotated assignments of literals)."""
    found: dict[str, object] = {}
    for node in ast.parse(path.read_bytes(), str(path)).body:
        targets: list[ast.expr]
        if isinstance(node, ast.AnnAssign) and node.value is not None:
            targets, value = [node.target], node.value
        elif isinstance(node, ast.Assign):
            targets, value = node.targets, node.value
        else:
            continue
        for target in targets:
            if isinstance(target, ast.Name) and target.id in ("revision", "down_revision"):
                found[target.id] = ast.literal_eval(value)
    return found


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
