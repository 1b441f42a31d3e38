"""Finding a staff member by the name someone typed (`/oms staff @ann operator`).

Slack escapes a mention to `<@U123|ann>` only when the app's slash command has "Escape
channels, users, and links" on; new apps have it off and send the plain `@ann`. The staff
service then asks a `PeopleDirectory` which user that is.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class Person:
    user_id: str
    name: str  # the handle (`ann`), as Slack shows it in a mention


class PeopleDirectory(Protocol):
    async def find(self, name: str) -> list[Person]:
        """Active people whose handle, display name or real name is `name` (without `@`,
        ignoring letter case and surrounding spaces); [] when nobody is, several when the
        name is ambiguous."""
        ...
