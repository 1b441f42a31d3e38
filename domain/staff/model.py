"""Staff members and their roles."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum


class Role(StrEnum):
    """A staff member's role, weakest first: each role can do everything the ones before can.

    A viewer reads; an operator also changes orders, stock and returns; an admin also
    manages staff.
    """

    VIEWER = "viewer"
    OPERATOR = "operator"
    ADMIN = "admin"

    def covers(self, needed: Role) -> bool:
        order = tuple(Role)
        return order.index(self) >= order.index(needed)


ROLES: tuple[str, ...] = tuple(role.value for role in Role)


@dataclass(frozen=True)
class StaffMember:
    user_id: str  # the Slack user id ("U0123ABCD"); the console's local admin is "console"
    role: Role
    added_at: datetime
    added_by: str
