"""Staff replies as text: the shared Jinja environment plus Slack's escaping, per channel,
in the staff's language (OMSBOT_STAFF_LOCALE)."""

from __future__ import annotations

from typing import Literal

from jinja2 import Environment

from channels.rendering import build_environment, render
from channels.staff_replies import Reply

StaffChannel = Literal["slack", "console"]
_EXTENSIONS: dict[StaffChannel, str] = {"slack": "md", "console": "txt"}
DEFAULT_STAFF_LOCALE = "en"


def slack_escape(value: object) -> str:
    """Text a person typed, made safe for mrkdwn: `&`, `<` and `>` are Slack's control
    characters (mentions and links), so they are escaped as Slack asks."""
    return str(value).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def staff_environment(locale: str = DEFAULT_STAFF_LOCALE) -> Environment:
    """The environment staff texts render in; `locale` is OMSBOT_STAFF_LOCALE."""
    env = build_environment()
    env.filters["esc"] = slack_escape
    env.globals["staff_locale"] = locale
    return env


def render_reply(env: Environment, channel: StaffChannel, reply: Reply) -> str:
    return render_template(env, channel, reply.template, reply.context)


def render_template(env: Environment, channel: StaffChannel, name: str,
                    context: dict[str, object]) -> str:
    locale = str(env.globals.get("staff_locale") or DEFAULT_STAFF_LOCALE)
    return render(env, f"{channel}/{name}.{_EXTENSIONS[channel]}.j2", locale, context)


def report_title(env: Environment, sales: dict[str, object]) -> str:
    """"Sales — Today, Mon 30 Nov 2026 (UTC)" in the staff's language: the title of a
    report's chart and of its file (`sales`: `sales_report_view`'s shape)."""
    locale = str(env.globals.get("staff_locale") or DEFAULT_STAFF_LOCALE)
    return render(env, "staff/report_title.txt.j2", locale, {"sales": sales}).strip()
