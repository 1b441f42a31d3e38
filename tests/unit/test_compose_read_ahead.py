"""A composing process that reads for itself reads the orders of several chunks at once
and never keeps an order from one batch for the next (channels/email/compose_worker)."""

from __future__ import annotations

from collections.abc import Collection
from datetime import UTC, datetime

import pytest

from channels.email import compose_worker
from channels.email.compose_worker import ReadAhead, _orders
from domain.notifications import Notification
from domain.queries import View

NOW = datetime(2026, 11, 24, 10, tzinfo=UTC)


class CountingViews:
    def __init__(self) -> None:
        self.reads: list[list[int]] = []

    async def orders_by_id(self, order_ids: Collection[int]) -> dict[int, View]:
        self.reads.append(list(order_ids))
        return {oid: {"number": f"ORD-{oid:06d}"} for oid in order_ids if oid != 404}


def notes(*order_ids: int) -> list[Notification]:
    return [Notification("email", "order_confirmation", "a@example.com", {"order_id": oid},
                         NOW, NOW, order_id=oid) for oid in order_ids]


@pytest.fixture(autouse=True)
def fresh_process(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(compose_worker, "_READ", {})
    monkeypatch.setattr(compose_worker, "_READ_FOR", None)


async def test_one_read_serves_the_chunks_it_read_ahead_for() -> None:
    views = CountingViews()
    first = await _orders(views, notes(1, 2), ReadAhead(7, (3, 4, 5, 6)))  # type: ignore[arg-type]
    second = await _orders(views, notes(3, 4), ReadAhead(7, (5, 6)))  # type: ignore[arg-type]
    third = await _orders(views, notes(7), ReadAhead(7, (8,)))  # type: ignore[arg-type]
    assert views.reads == [[1, 2, 3, 4, 5, 6], [7, 8]]
    assert (sorted(first), sorted(second), sorted(third)) == ([1, 2], [3, 4], [7])
    assert second[3] == {"number": "ORD-000003"}


async def test_a_new_batch_reads_again_and_a_missing_order_stays_missing() -> None:
    views = CountingViews()
    await _orders(views, notes(1), ReadAhead(1, (2,)))  # type: ignore[arg-type]
    again = await _orders(views, notes(1, 404), ReadAhead(2))  # type: ignore[arg-type]
    assert views.reads == [[1, 2], [1, 404]]  # an order of the last batch is read anew
    assert sorted(again) == [1]  # 404 is not there: the caller reads and reports it
