"""Every text a customer reads in Telegram comes from templates/telegram/<locale>/."""

from __future__ import annotations

from typing import Any

from jinja2 import Environment

from channels.rendering import SUPPORTED_LOCALES, render


def supported(locale: str | None) -> str | None:
    """"it", "it-IT" -> "it"; a language we do not ship -> None."""
    if not locale:
        return None
    language = locale.replace("-", "_").split("_", 1)[0].lower()
    return language if language in SUPPORTED_LOCALES else None


class Replies:
    """Renders the chat's replies in its locale: `say("track", order=view)`."""

    def __init__(self, env: Environment, locale: str, tz: str) -> None:
        self.env = env
        self.locale = locale
        self.tz = tz

    def __call__(self, name: str, **context: Any) -> str:
        return render(self.env, f"telegram/{name}.html.j2", self.locale,
                      {**context, "tz": self.tz})

    def in_locale(self, locale: str | None) -> Replies:
        chosen = supported(locale)
        return self if chosen is None or chosen == self.locale else Replies(
            self.env, chosen, self.tz)

    def labels(self) -> dict[str, str]:
        """Button labels ("key = label" lines of buttons.txt.j2)."""
        text = render(self.env, "telegram/buttons.txt.j2", self.locale, {})
        pairs = (line.partition("=") for line in text.splitlines() if "=" in line)
        return {key.strip(): label.strip() for key, _, label in pairs}
