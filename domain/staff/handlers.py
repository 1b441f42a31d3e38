"""Handlers for staff commands."""

from __future__ import annotations

import re

from domain.errors import DomainError, ValidationError
from domain.messagebus import Context
from domain.ports import UnitOfWork
from domain.staff.commands import SetStaffRole, StaffRoleSet
from domain.staff.model import Role, StaffMember
from domain.texts import N_, Text

SLACK_USER_ID = re.compile(r"[UW][A-Z0-9]{2,31}")


async def set_staff_role(cmd: SetStaffRole, uow: UnitOfWork, ctx: Context) -> StaffRoleSet:
    if SLACK_USER_ID.fullmatch(cmd.user_id) is None:
        raise ValidationError("slack_user", Text.of(
            N_("%(value)s is not a Slack user id (U0123ABCD)"), value=repr(cmd.user_id)))
    role = Role(cmd.role)
    if ctx.actor.name == f"slack:{cmd.user_id}" and role != Role.ADMIN:
        raise DomainError(Text(N_("You cannot lower your own role; ask another admin.")))
    current = await uow.staff.get(cmd.user_id)
    previous = current.role if current is not None else None
    if previous != role:
        await uow.staff.put(StaffMember(cmd.user_id, role, ctx.clock.now(), ctx.actor.name))
        ctx.audit("staff.role", cmd.user_id, role=role.value,
                  previous=previous.value if previous else None)
    return StaffRoleSet(cmd.user_id, role, previous)
