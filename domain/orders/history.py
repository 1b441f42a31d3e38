"""Rules for order history brought in by an import (a migrating shop's past orders).

Placement already checks the order of the moments (placed ≤ shipped ≤ delivered); these are
the rules only history has: no moment in the future, and a status that says a parcel left
or arrived comes with when it did.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from domain.orders import status as st
from domain.texts import N_, Code, Text

CLOCK_SKEW = timedelta(minutes=5)
"""How far ahead of this server's clock an imported moment may be: the old system's clock
may run a little fast; anything later is a mistake (a wrong year, a local time read as
UTC), refused rather than shown to customers as an order from the future."""

SHIPPED_STATUSES = (st.SHIPPED, st.DELIVERED, st.COMPLETED)
DELIVERED_STATUSES = (st.DELIVERED, st.COMPLETED)


def history_problems(status: str | None, placed_at: datetime | None,
                     shipped_at: datetime | None, delivered_at: datetime | None,
                     now: datetime) -> list[tuple[str, Text]]:
    """(field, reason) for each rule an imported order breaks; [] when it keeps them all.
    Moments are aware; `now` is this server's clock (aware UTC)."""
    problems: list[tuple[str, Text]] = []
    latest = now + CLOCK_SKEW
    for name, moment in (("placed_at", placed_at), ("shipped_at", shipped_at),
                         ("delivered_at", delivered_at)):
        if moment is not None and moment > latest:
            problems.append((name, Text(N_("is in the future (more than 5 minutes after now)"))))
    if status == st.SHIPPED and shipped_at is None:
        problems.append(("shipped_at", Text.of(N_("is required when the status is %(status)s"),
                                               status=Code("status", st.SHIPPED))))
    if status in DELIVERED_STATUSES and delivered_at is None:
        problems.append(("delivered_at", Text.of(N_("is required when the status is %(status)s"),
                                                 status=Code("status", status))))
    return problems
