"""What every staff request declares: its command, whether it changes anything, and who may
ask; and `Help`, the one request that belongs to no context.

Standard library and the domain only.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from domain.staff.model import Role


class StaffRequestBase:
    """What every request declares: its command, whether it changes anything, who may ask."""

    __slots__ = ()
    command: ClassVar[str]
    is_change: ClassVar[bool] = False
    required_role: ClassVar[Role] = Role.VIEWER

    def allowed_for(self, role: Role | None) -> bool:
        return role is not None and role.covers(self.required_role)


class Query(StaffRequestBase):
    """Reads only; answered ephemerally. Any staff member (viewer and up) may ask."""

    __slots__ = ()


class Change(StaffRequestBase):
    """Changes orders, stock, returns or purchase orders; answered in the channel."""

    __slots__ = ()
    is_change = True
    required_role = Role.OPERATOR


@dataclass(frozen=True, slots=True)
class Help(Query):
    command = "help"
    topic: str | None = None
