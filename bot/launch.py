"""The `omsbot` command's entry point (`python -m bot` and the installed script).

Start-up builds ~140,000 objects that live as long as the process (modules, classes,
SQLAlchemy metadata, pydantic models). With the cycle collector on, building them runs
several full collections over everything built so far: ~0.15 s of the 2 s goal for
`omsbot run` (issue 14). `long_lived_imports` keeps the collector off while such imports run
and then freezes what they built (gc.freeze, the standard library's answer for objects
that live for the whole process), so no later collection walks them again."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def long_lived_imports() -> Iterator[None]:
    """Run the body (imports of modules kept for the whole process) with the collector
    off; afterwards freeze what exists and restore the collector as it was. The few
    cycles that became garbage meanwhile are frozen with the rest (~2,000 objects here)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if was_enabled:
            gc.enable()


def main() -> None:
    """Import the command line with the collector off, then run it (bot.cli.main)."""
    with long_lived_imports():
        from bot.cli import main as cli_main  # imported here, inside the guard above

    cli_main()
