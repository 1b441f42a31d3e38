"""Staff alerts raised from outside a domain change (the scheduler's failures)."""

from __future__ import annotations

from domain.automation.commands import RaiseStaffAlert
from domain.events import StaffAlertRaised
from domain.messagebus import Context
from domain.ports import UnitOfWork


async def raise_staff_alert(cmd: RaiseStaffAlert, uow: UnitOfWork, ctx: Context) -> None:
    ctx.emit(StaffAlertRaised(cmd.kind, cmd.text, dedupe_key=cmd.dedupe_key))
