"""Settings problems as one line each: the variable, what is wrong, a good example; and
warnings for OMSBOT_* names that are not settings (a typo must not pass silently).

Examples come from each field itself (its default, or `Field(examples=[…])`), so a setting
added anywhere gets the same treatment without an entry here.
"""

from __future__ import annotations

import difflib
import logging
import os
from collections.abc import Iterable, Mapping
from datetime import timedelta
from pathlib import Path
from typing import Any

from pydantic.fields import FieldInfo
from pydantic_core import ErrorDetails

PREFIX = "OMSBOT_"
# Read by the tests and benches, not by omsbot itself: not typos.
OTHER_KNOWN = frozenset({"OMSBOT_TEST_POSTGRES_URL", "OMSBOT_BENCH_POSTGRES_URL"})
log = logging.getLogger("omsbot.settings")


def iso_duration(value: timedelta) -> str:
    """ISO 8601 as people write it: whole days above a day (P3D), else hours, minutes and
    seconds (PT24H, PT15M, PT1H30M)."""
    seconds = int(value.total_seconds())
    if seconds % 86400 == 0 and seconds > 86400:
        return f"P{seconds // 86400}D"
    hours, rest = divmod(seconds, 3600)
    minutes, seconds = divmod(rest, 60)
    parts = [f"{n}{unit}" for n, unit in ((hours, "H"), (minutes, "M"), (seconds, "S")) if n]
    return "PT" + ("".join(parts) or "0S")


def example(field: FieldInfo | None) -> str | None:
    """A good value for `field`: its first declared example, else its default."""
    if field is None:
        return None
    if field.examples:
        return str(field.examples[0])
    default = field.get_default(call_default_factory=True)
    if default is None or default == "":
        return None
    if isinstance(default, timedelta):
        return iso_duration(default)
    if isinstance(default, bool):
        return "true" if default else "false"
    return str(default)


def explain(error: ErrorDetails, fields: Mapping[str, FieldInfo]) -> str:
    """`OMSBOT_NAME: what is wrong, with a good example` for one pydantic error."""
    name = str(error["loc"][0]) if error["loc"] else ""
    field = fields.get(name)
    variable = PREFIX + name.upper() if name else "configuration"
    message = str(error["msg"]).removeprefix("Value error, ")
    good = example(field)
    kind = str(error["type"])
    if kind.startswith("time_delta"):
        message = f"use an ISO-8601 duration such as {good or 'PT24H'}"
    elif kind.startswith("bool"):
        message = "use true or false"
    elif good and "such as" not in message and "e.g." not in message and "for example" \
            not in message:
        message = f"{message}; for example {good}"
    return f"{variable}: {message}"


def unknown_names(known: Iterable[str], env_file: Path | None = Path(".env"),
                  environ: Mapping[str, str] | None = None) -> list[str]:
    """OMSBOT_* names set in the environment or the .env file that are no setting, each
    as a warning line with the closest real name."""
    names = {PREFIX + k.upper() for k in known}
    given = {k.upper() for k in (os.environ if environ is None else environ)
             if k.upper().startswith(PREFIX)}
    if env_file is not None and env_file.is_file():
        for line in env_file.read_text(errors="replace").splitlines():
            key = line.strip().removeprefix("export ").partition("=")[0].strip()
            if key.upper().startswith(PREFIX):
                given.add(key.upper())
    lines = []
    for name in sorted(given - names - OTHER_KNOWN):
        close = difflib.get_close_matches(name, sorted(names), n=1)
        hint = f"; did you mean {close[0]}?" if close else ""
        lines.append(f"{name} is not an omsbot setting and is ignored{hint}")
    return lines


def warn_unknown(known: Iterable[str], **where: Any) -> None:
    for line in unknown_names(known, **where):
        log.warning("%s", line)


def check_mailbox(value: str) -> None:
    """`Name <address>` or a bare address, checked with email-validator; raises ValueError.
    `localhost` (our default, for mail written to files) passes, although email-validator
    refuses it as a special-use name."""
    from email.utils import parseaddr

    from email_validator import EmailNotValidError, validate_email

    _, address = parseaddr(value)
    local, at, domain = address.rpartition("@")
    if not at or not local:
        raise ValueError(f"{value!r} is not an e-mail address; use one such as "
                         f"Shop <orders@shop.example>")
    checked = f"{local}@example.com" if domain.lower() == "localhost" else address
    try:
        validate_email(checked, check_deliverability=False)
    except EmailNotValidError as exc:
        raise ValueError(f"{value!r}: {exc}; use one such as Shop <orders@shop.example>"
                         ) from None
