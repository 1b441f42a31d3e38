"""Staff requests about the staff themselves: setting a person's role (admins only)."""

from __future__ import annotations

from dataclasses import dataclass

from channels.staff_requests.base import Change
from domain.staff.model import Role


@dataclass(frozen=True, slots=True)
class SetStaffRole(Change):
    """`user_id` when the person was given as a mention or an id; otherwise `name`, the
    `@name` typed (Slack sends mentions unescaped unless the app asks), to look up."""

    command = "staff"
    required_role = Role.ADMIN
    user_id: str
    role: Role
    name: str = ""
