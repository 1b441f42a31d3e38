"""Start-up cost: `omsbot run` without Telegram or Slack must not import their libraries
(aiogram takes seconds, slack-bolt about one; CONTRACT/issue 14: ready in under 2 s), nor,
off a terminal, the staff console; and no start imports alembic (with mako and pygments)
just to learn the newest migration."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

HEAVY = ("aiogram", "slack_bolt", "slack_sdk", "matplotlib", "reportlab", "sklearn",
         "alembic", "mako", "pygments", "prompt_toolkit")

PROBE = """
import json, sys, threading
import bot.runtime
from bot.bootstrap import build_process
from bot.settings import Settings
settings = Settings(database_url="sqlite+aiosqlite:///:memory:", secret_key="x",
                    _env_file=None)
build_process(settings)
for thread in threading.enumerate():  # a chat channel loads its plain-words reader in the
    if thread.name == "plain-words-reader":  # background: let it finish before exiting
        thread.join()
print(json.dumps(sorted(m for m in sys.modules if m.split(".")[0] in HEAVY
                        or m.startswith("channels.console"))))
"""


def loaded_after_build(**env: str) -> list[str]:
    """Heavy modules loaded once `omsbot run` has imported and built everything; standard
    input is not a terminal, as under a service manager."""
    result = subprocess.run([sys.executable, "-c", f"HEAVY = {HEAVY!r}\n{PROBE}"], cwd=ROOT,
                            capture_output=True, text=True, check=False,
                            stdin=subprocess.DEVNULL,
                            env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT), **env})
    assert result.returncode == 0, result.stderr[-3000:]
    return list(json.loads(result.stdout.strip().splitlines()[-1]))


def test_a_shop_without_chat_channels_off_a_terminal_imports_nothing_heavy() -> None:
    assert loaded_after_build() == []


def test_a_configured_telegram_bot_does_import_aiogram() -> None:
    # the probe above can see an import: with Telegram configured, aiogram is loaded
    loaded = loaded_after_build(OMSBOT_TELEGRAM_TOKEN="123456:probe-token")
    assert any(m.startswith("aiogram") for m in loaded)
