"""Every text a customer reads in Telegram comes from templates/telegram/, in its language."""

from __future__ import annotations

from collections.abc import Sized
from typing import Any

from jinja2 import Environment

from channels.rendering import render, supported_locales
from channels.telegram.fitting import clip, fits


def supported(locale: str | None) -> str | None:
    """"it", "it-IT" -> "it"; a language we do not ship -> None."""
    if not locale:
        return None
    language = locale.replace("-", "_").split("_", 1)[0].lower()
    return language if language in supported_locales() else None


class Replies:
    """Renders the chat's replies in its locale: `say("track", order=view)`.

    Every reply fits in one Telegram message (4,096 characters after entity parsing).
    """

    def __init__(self, env: Environment, locale: str, tz: str) -> None:
        self.env = env
        self.locale = locale
        self.tz = tz

    def __call__(self, name: str, **context: Any) -> str:
        return clip(self._render(name, context))

    def fit(self, name: str, items: Sized, **context: Any) -> str:
        """Render `name` with as many of `items` as fit in one message.

        The template reads `shown` (how many of the items to list, from the first) and
        `hidden` (how many are left out, to say so): a 60-line order lists the first lines
        and "… and 23 more". Binary search over `shown`, so a long list costs ~log2(n)
        renders.
        """
        total = len(items)
        text = self._render(name, {**context, "shown": total, "hidden": 0})
        if fits(text):
            return text
        low, high = 0, total - 1  # the largest `shown` that fits lies in [low, high]
        best = self._render(name, {**context, "shown": 0, "hidden": total})
        while low <= high:
            middle = (low + high) // 2
            candidate = self._render(name, {**context, "shown": middle,
                                            "hidden": total - middle})
            if fits(candidate):
                best, low = candidate, middle + 1
            else:
                high = middle - 1
        return clip(best)

    def _render(self, name: str, context: dict[str, Any]) -> str:
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
