"""`omsbot shell` fed through standard input, and `omsbot staff add`, as real processes."""

from __future__ import annotations

import fcntl
import os
import pty
import subprocess
import sys
import termios
import time
from pathlib import Path
from select import select as wait_readable

from sqlalchemy import select

from bot.bootstrap import build_core
from domain.clock import FixedClock
from storage import orm
from tests.catalog import order_command, small_shop
from tests.conftest import make_settings

ROOT = Path(__file__).resolve().parents[2]


def omsbot(args: list[str], database_url: str, cwd: Path, stdin: str = "",
           **env_extra: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "OMSBOT_DATABASE_URL": database_url, "OMSBOT_SECRET_KEY": "k",
           "PYTHONPATH": str(ROOT), **env_extra}
    return subprocess.run([sys.executable, "-c", "from bot.cli import main; main()", *args],
                          input=stdin, capture_output=True, text=True, env=env, cwd=cwd,
                          timeout=60, check=False)


async def test_the_shell_runs_the_staff_grammar_from_stdin(
        database_url: str, clock: FixedClock, tmp_path: Path) -> None:
    core = build_core(make_settings(database_url), clock=clock)
    await small_shop(core.bus)
    await core.bus.handle(order_command())
    await core.close()
    lines = ["help", "order 1", "hold 1", "new bob@example.com MUG-01:1",
             "Bob Rossi", "Via Po 2", "Torino", "10100", "Italy", "it", "",
             "ship 99 DHL T", "bogus", "quit", "order 1"]

    done = omsbot(["shell"], database_url, tmp_path, "\n".join(lines) + "\n")

    out = done.stdout
    assert done.returncode == 0, done.stderr
    assert "Staff commands" in out and "ship N [CARRIER TRACKING] [eta YYYY-MM-DD]" in out
    assert "report [today|week|month]" in out
    assert "ORD-000001 · confirmed · €25.00\nPayment: paid · paid €25.00" in out  # own lines
    assert "put on hold ORD-000001." in out
    assert "Error: Write the two-letter country code, like IT." in out
    assert "placed ORD-000002." in out
    assert "Error: Order ORD-000099 not found" in out
    assert "Sorry, I did not understand that." in out  # not a command: plain words
    assert out.count("ORD-000001 · ") == 2  # nothing after quit
    core = build_core(make_settings(database_url), clock=clock)
    try:
        order = await core.views.order(2)
        assert order is not None
        assert (order["channel"], order["customer"]["name"]) == ("phone", "Bob Rossi")
        async with core.db.read_sessions() as s:
            actors = set(await s.scalars(select(orm.audit_log.c.actor).where(
                orm.audit_log.c.action == "order.hold")))
        assert len(actors) == 1 and next(iter(actors)).startswith("console:")
    finally:
        await core.close()


async def test_a_grammar_error_and_its_usage_line_in_german(
        database_url: str, clock: FixedClock, tmp_path: Path) -> None:
    core = build_core(make_settings(database_url), clock=clock)
    await small_shop(core.bus)
    await core.close()
    lines = ["receive MUG-01 1.9 MIL", "receive MUG-01", "recieve", "help receive"]

    done = omsbot(["shell"], database_url, tmp_path, "\n".join(lines) + "\n",
                  OMSBOT_STAFF_LOCALE="de")

    out = done.stdout
    assert done.returncode == 0, done.stderr
    assert ("1.9 passt nicht als Menge; schreiben Sie eine ganze Zahl wie 3.\n"
            "Aufruf: receive SKU MENGE [LAGER]\n") in out
    assert "receive braucht eine Menge.\nAufruf: receive SKU MENGE [LAGER]\n" in out
    assert "Unbekannter Befehl recieve; meinten Sie receive?" in out
    assert "receive SKU MENGE [LAGER]\nEingegangenen Bestand einem Lager gutschreiben." in out
    assert "not a quantity" not in out and "Usage:" not in out


async def test_staff_add_sets_a_role(database_url: str, tmp_path: Path) -> None:
    added = omsbot(["staff", "add", "--slack-user", "U0123ABCD", "--role", "operator"],
                   database_url, tmp_path)
    again = omsbot(["staff", "add", "--slack-user", "U0123ABCD", "--role", "admin"],
                   database_url, tmp_path)
    bad_role = omsbot(["staff", "add", "--slack-user", "U0123ABCD", "--role", "boss"],
                      database_url, tmp_path)
    bad_user = omsbot(["staff", "add", "--slack-user", "ada", "--role", "viewer"],
                      database_url, tmp_path)

    assert (added.returncode, added.stdout) == (0, "U0123ABCD is now operator\n")
    assert again.stdout == "U0123ABCD is now admin (was operator)\n"
    assert bad_role.returncode == 2 and "viewer" in bad_role.stderr
    assert bad_user.returncode == 1 and "not a Slack user id" in bad_user.stderr


async def test_staff_add_answers_in_the_staff_language(database_url: str, tmp_path: Path
                                                       ) -> None:
    german = {"OMSBOT_STAFF_LOCALE": "de"}
    added = omsbot(["staff", "add", "--slack-user", "U0123ABCD", "--role", "viewer"],
                   database_url, tmp_path, **german)
    again = omsbot(["staff", "add", "--slack-user", "U0123ABCD", "--role", "viewer"],
                   database_url, tmp_path, **german)
    bad_user = omsbot(["staff", "add", "--slack-user", "ada", "--role", "viewer"],
                      database_url, tmp_path, **german)

    assert (added.returncode, added.stdout) == (0, "U0123ABCD ist jetzt Leser\n")
    assert again.stdout == "U0123ABCD ist bereits Leser\n"
    assert bad_user.returncode == 1
    assert "'ada' ist keine Slack-Benutzer-ID" in bad_user.stderr


def _take_terminal() -> None:
    os.setsid()
    fcntl.ioctl(0, termios.TIOCSCTTY, 0)


class Terminal:
    """A pseudo-terminal around a process; answers prompt_toolkit's cursor position queries."""

    def __init__(self, args: list[str], env: dict[str, str], cwd: Path, *,
                 controlling: bool = False) -> None:
        """`controlling`: the terminal is the process's controlling terminal, in a session
        of its own (so Ctrl-C typed there is SIGINT to it, as in a real shell)."""
        self.master, slave = pty.openpty()
        self.process = subprocess.Popen(args, stdin=slave, stdout=slave, stderr=slave, env=env,
                                        cwd=cwd, close_fds=True,
                                        preexec_fn=_take_terminal if controlling else None)
        os.close(slave)
        self.seen = ""
        self.mark = 0

    def expect(self, text: str | None, timeout: float = 20.0) -> str:
        """Read until `text` shows, after what was expected before (None: until the end)."""
        deadline = time.monotonic() + timeout
        start = self.mark
        while text is None or text not in self.seen[start:]:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError(f"{text!r} not seen in {self.seen[-2000:]!r}")
            ready, _, _ = wait_readable([self.master], [], [], min(left, 0.2))
            chunk = ""
            if ready:
                try:
                    chunk = os.read(self.master, 65536).decode(errors="replace")
                except OSError:  # the process closed the terminal
                    chunk = ""
            if "\x1b[6n" in chunk:
                os.write(self.master, b"\x1b[1;1R")
            self.seen += chunk
            if not chunk and self.process.poll() is not None:
                if text is None:
                    break
                raise TimeoutError(f"exited before {text!r}: {self.seen[-2000:]!r}")
        if text is not None:
            self.mark = self.seen.index(text, start) + len(text)
        return self.seen

    def type(self, keys: str) -> None:
        os.write(self.master, keys.encode())

    def close(self) -> int:
        try:
            self.expect(None)
            return self.process.wait(timeout=5)
        finally:
            os.close(self.master)


async def test_the_shell_on_a_terminal_edits_lines_and_keeps_history(
        database_url: str, clock: FixedClock, tmp_path: Path) -> None:
    core = build_core(make_settings(database_url), clock=clock)
    await small_shop(core.bus)
    await core.close()
    env = {**os.environ, "OMSBOT_DATABASE_URL": database_url, "OMSBOT_SECRET_KEY": "k",
           "PYTHONPATH": str(ROOT), "TERM": "xterm"}
    terminal = Terminal([sys.executable, "-c", "from bot.cli import main; main()", "shell"],
                        env, tmp_path)
    terminal.expect("oms>")
    terminal.type("stock MUG-0X\x7f1\r")  # a typo fixed with backspace
    terminal.expect("MIL: 100 available")
    terminal.expect("oms>")
    terminal.type("\x04")  # Ctrl-D leaves

    assert terminal.close() == 0
    assert "stock MUG-01" in (tmp_path / "var" / "shell_history").read_text()


async def test_staff_errors_are_said_in_the_staff_locale(
        database_url: str, clock: FixedClock, tmp_path: Path) -> None:
    """A domain error (a lazy `Text` with its parameters) reaches the console translated,
    statuses and nested words included, through the real process and its settings."""
    core = build_core(make_settings(database_url), clock=clock)
    await small_shop(core.bus)
    await core.bus.handle(order_command())
    await core.close()
    lines = ["order 99", "deliver 1", "receive MUG-01 5 NOWHERE", "wie geht es dem Wetter heute",
             "quit"]
    said = {}
    for locale in ("de", "it"):
        os.environ["OMSBOT_STAFF_LOCALE"] = locale
        try:
            done = omsbot(["shell"], database_url, tmp_path, "\n".join(lines) + "\n")
        finally:
            del os.environ["OMSBOT_STAFF_LOCALE"]
        assert done.returncode == 0, done.stderr
        said[locale] = done.stdout

    assert "Fehler: Bestellung ORD-000099 nicht gefunden" in said["de"]
    assert "Fehler: Bestellung ORD-000001 ist bestätigt: »deliver« geht nicht" in said["de"]
    assert "Fehler: Lager NOWHERE nicht gefunden" in said["de"]
    assert "Errore: Ordine ORD-000099 inesistente" in said["it"]
    assert "Errore: Ordine ORD-000001: stato confermato, «deliver» non è possibile" in said["it"]
    assert "not found" not in said["de"] + said["it"]
    # the banner, and the usage lines plain words suggest, are the staff's language too
    assert "omsbot-Mitarbeiterkonsole" in said["de"]
    assert "Console del personale di omsbot" in said["it"]
    assert "staff console" not in said["de"] + said["it"]
    assert "Diese Befehle helfen vielleicht" in said["de"] and "SKU:MENGE" in said["de"]
    assert "QTY" not in said["de"] + said["it"] and "WAREHOUSE" not in said["de"] + said["it"]


async def test_the_report_is_said_whole_in_the_staff_locale(
        database_url: str, clock: FixedClock, tmp_path: Path) -> None:
    """The tester's F28: `OMSBOT_STAFF_LOCALE=de omsbot shell`, the report in plain words:
    no English fragment (the low-stock examples, where the chart was saved)."""
    from domain.automation.commands import CheckLowStock

    core = build_core(make_settings(database_url), clock=clock)
    await small_shop(core.bus, stock=3)  # MUG-01 at MIL: 3, at or below its point of 5
    await core.bus.handle(CheckLowStock())
    await core.close()
    said = {}
    for locale in ("de", "it"):
        os.environ["OMSBOT_STAFF_LOCALE"] = locale
        try:
            done = omsbot(["shell"], database_url, tmp_path,
                          "zeig mir den Bericht für heute\nreport today\nquit\n")
        finally:
            del os.environ["OMSBOT_STAFF_LOCALE"]
        assert done.returncode == 0, done.stderr
        said[locale] = done.stdout

    assert said["de"].count("(MUG-01 in MIL)") == 2
    assert said["de"].count("Diagramm gespeichert unter var/reports/sales-") == 2
    assert said["it"].count("(MUG-01 a MIL)") == 2
    assert said["it"].count("Grafico salvato in var/reports/sales-") == 2
    for english in ("MUG-01 at MIL", "Chart saved", "new in the period", "Low stock:"):
        assert english not in said["de"] + said["it"]
    charts = sorted((tmp_path / "var" / "reports").glob("sales-*.png"))
    assert charts and all(c.read_bytes().startswith(b"\x89PNG") for c in charts)
