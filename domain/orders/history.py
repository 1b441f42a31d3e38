"""Rules for order history brought in by an import (a migrating shop's past orders).

Placement already checks the order of the moments (placed ≤ shipped ≤ delivered); these are
the rules only history has: no moment in the future, and a status that says a parcel left
or arrived comes with when it did.
"""

from __future__ import annotations

from datetime import datetime

from domain.input_policy import IN_THE_FUTURE, MAX_CLOCK_SKEW
from domain.orders import status as st
from domain.texts import N_, Code, Text

SHIPPED_STATUSES = (st.SHIPPED, st.DELIVERED, st.COMPLETED)
DELIVERED_STATUSES = (st.DELIVERED, st.COMPLETED)


def history_problems(status: str | None, placed_at: datetime | None,
                     shipped_at: datetime | None, delivered_at: datetime | None,
                     now: datetime) -> list[tuple[str, Text]]:
    """(field, reason) for each rule an imported order breaks; [] when it keeps them all.
    Moments are aware; `now` is this server's clock (aware UTC). "In the future" is the
    input policy's rule for every event time (later than now + MAX_CLOCK_SKEW), gathered
    here per field so an import row names each bad column."""
    problems: list[tuple[str, Text]] = []
    latest = now + MAX_CLOCK_SKEW
    for name, moment in (("placed_at", placed_at), ("shipped_at", shipped_at),
                         ("delivered_at", delivered_at)):
        if moment is not None and moment > latest:
            problems.append((name, IN_THE_FUTURE))
    if status == st.SHIPPED and shipped_at is None:
        problems.append(("shipped_at", Text.of(N_("is required when the status is %(status)s"),
                                               status=Code("status", st.SHIPPED))))
    if status in DELIVERED_STATUSES and delivered_at is None:
        problems.append(("delivered_at", Text.of(N_("is required when the status is %(status)s"),
                                                 status=Code("status", status))))
    return problems
