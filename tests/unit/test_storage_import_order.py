"""Each table module, and what maps and opens them, can be the first one a process imports.

The spawned mail composing process first imports `bot.mail_reading`, and with it
`storage.engine` → `storage.mapping` → the table modules, in an order no other process
used: when the table modules of other contexts imported `storage.orm`, which re-exports
them, the one imported first found the other half-made (ImportError).
"""

from __future__ import annotations

import subprocess
import sys

import pytest

FIRST = ["storage.orm_money", "storage.orm_stock", "storage.orm_system",
         "storage.fulfilment_tables", "storage.orm", "storage.orm_base", "storage.mapping",
         "storage.engine", "bot.mail_reading"]


@pytest.mark.parametrize("module", FIRST)
def test_the_module_imports_first_in_a_fresh_interpreter(module: str) -> None:
    done = subprocess.run([sys.executable, "-c", f"import {module}"], capture_output=True,
                          text=True, timeout=60, check=False)
    assert done.returncode == 0, done.stderr
