"""Setting staff roles through the real bus over the in-memory unit of work."""

from __future__ import annotations

import pytest

from domain.clock import FixedClock
from domain.errors import DomainError, ValidationError
from domain.messagebus import Actor
from domain.staff.commands import SetStaffRole
from domain.staff.model import Role
from tests.conftest import NOW
from tests.fakes import fake_bus

ADMIN = Actor("slack:UADMIN", "slack")


async def test_adding_and_changing_a_role_is_audited_once_per_change() -> None:
    bus, store = fake_bus(FixedClock(NOW))

    first = await bus.handle(SetStaffRole("U0002", Role.VIEWER), ADMIN)
    second = await bus.handle(SetStaffRole("U0002", Role.OPERATOR), ADMIN)
    same = await bus.handle(SetStaffRole("U0002", Role.OPERATOR), ADMIN)

    assert (first.previous, second.previous, same.changed) == (None, Role.VIEWER, False)
    assert store.staff["U0002"].role == Role.OPERATOR
    assert store.staff["U0002"].added_by == "slack:UADMIN"
    assert [(a.action, a.subject, a.details["role"], a.actor) for a in store.audit] == [
        ("staff.role", "U0002", "viewer", "slack:UADMIN"),
        ("staff.role", "U0002", "operator", "slack:UADMIN"),
    ]


async def test_an_admin_cannot_lower_their_own_role() -> None:
    bus, store = fake_bus(FixedClock(NOW))
    await bus.handle(SetStaffRole("UADMIN", Role.ADMIN))

    with pytest.raises(DomainError, match="own role"):
        await bus.handle(SetStaffRole("UADMIN", Role.VIEWER), ADMIN)
    assert store.staff["UADMIN"].role == Role.ADMIN


async def test_a_user_id_must_look_like_slack_s() -> None:
    bus, store = fake_bus(FixedClock(NOW))
    with pytest.raises(ValidationError):
        await bus.handle(SetStaffRole("ada", Role.VIEWER))
    assert store.staff == {}


def test_roles_cover_the_weaker_ones() -> None:
    assert Role.ADMIN.covers(Role.OPERATOR) and Role.OPERATOR.covers(Role.VIEWER)
    assert not Role.VIEWER.covers(Role.OPERATOR)
    assert not Role.OPERATOR.covers(Role.ADMIN)
