"""Commands on staff."""

from __future__ import annotations

from dataclasses import dataclass

from domain.staff.model import Role


@dataclass(frozen=True)
class SetStaffRole:
    """Add a staff member, or change their role."""

    user_id: str
    role: Role


@dataclass(frozen=True)
class StaffRoleSet:
    user_id: str
    role: Role
    previous: Role | None

    @property
    def changed(self) -> bool:
        return self.role != self.previous
