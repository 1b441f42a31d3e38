"""`storage.schema.newest_revisions` reads the migration heads without importing alembic
(start-up cost); it must agree with alembic's own ScriptDirectory on any revision graph."""

from __future__ import annotations

import tempfile
from pathlib import Path

from alembic.script import ScriptDirectory
from hypothesis import given, settings
from hypothesis import strategies as st

from storage.schema import MIGRATIONS, VERSIONS, newest_revisions

MIGRATION = '''"""{rid}"""
from __future__ import annotations

from collections.abc import Sequence

revision: str = {rid!r}
down_revision: str | tuple[str, ...] | None = {down!r}
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
'''


def test_the_shipped_heads_are_alembics() -> None:
    assert newest_revisions() == frozenset(ScriptDirectory(str(MIGRATIONS)).get_heads())
    assert len(newest_revisions(VERSIONS)) == 1  # one line of history, as shipped


@st.composite
def revision_graphs(draw: st.DrawFn) -> list[tuple[str, str | tuple[str, ...] | None]]:
    """Revisions in creation order, each revising none (the first only), one or several
    (a merge) of the earlier ones: branches and merges as `alembic merge` makes them."""
    size = draw(st.integers(1, 12))
    graph: list[tuple[str, str | tuple[str, ...] | None]] = [("r0", None)]
    for n in range(1, size):
        earlier = [rid for rid, _ in graph]
        parents = draw(st.lists(st.sampled_from(earlier), min_size=1, max_size=3,
                                unique=True))
        graph.append((f"r{n}", parents[0] if len(parents) == 1 else tuple(parents)))
    return graph


@settings(max_examples=60, deadline=None)
@given(revision_graphs())
def test_any_graph_has_alembics_heads(
        graph: list[tuple[str, str | tuple[str, ...] | None]]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        versions = Path(tmp) / "versions"
        versions.mkdir()
        for n, (rid, down) in enumerate(graph):
            (versions / f"{n:04d}_{rid}.py").write_text(MIGRATION.format(rid=rid, down=down))
        (versions / "__init__.py").write_text("")
        expected = frozenset(ScriptDirectory(tmp).get_heads())
        assert newest_revisions(versions) == expected
