"""Report periods: which shop days a report covers and where they begin in UTC."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from domain.accounting.periods import report_window
from domain.errors import ValidationError

NOW = datetime(2026, 3, 29, 22, 30, tzinfo=UTC)  # already 30 March in Rome


@pytest.mark.parametrize(("period", "first", "last"), [
    ("today", date(2026, 3, 30), date(2026, 3, 30)),
    ("week", date(2026, 3, 24), date(2026, 3, 30)),
    ("MONTH", date(2026, 3, 1), date(2026, 3, 30)),
    ("2026-02", date(2026, 2, 1), date(2026, 2, 28)),
    ("2024-02", date(2024, 2, 1), date(2024, 2, 29)),
    ("2026-12", date(2026, 12, 1), date(2026, 12, 31)),
    ("2026-03-01..2026-03-01", date(2026, 3, 1), date(2026, 3, 1)),
    ("2025-03-30..2026-03-30", date(2025, 3, 30), date(2026, 3, 30)),
])
def test_periods_are_shop_days(period: str, first: date, last: date) -> None:
    window = report_window(period, NOW, "Europe/Rome")
    assert (window.first, window.last) == (first, last)
    assert len(window.days) == (last - first).days + 1


def test_days_begin_at_local_midnight_across_the_dst_change() -> None:
    window = report_window("2026-03-28..2026-03-30", NOW, "Europe/Rome")
    assert window.midnights() == [
        datetime(2026, 3, 27, 23, tzinfo=UTC), datetime(2026, 3, 28, 23, tzinfo=UTC),
        datetime(2026, 3, 29, 22, tzinfo=UTC), datetime(2026, 3, 30, 22, tzinfo=UTC)]
    assert window.title == "28 Mar 2026 – 30 Mar 2026 (Europe/Rome)"


@pytest.mark.parametrize("period", ["year", "2026-00", "2026-13", "26-01", "2026-1",
                                    "2026-03-02..2026-03-01", "2026-02-30..2026-03-01",
                                    "2025-03-29..2026-03-30", "1969-12-31..1970-01-01", ""])
def test_bad_periods_name_the_field(period: str) -> None:
    with pytest.raises(ValidationError) as caught:
        report_window(period, NOW, "Europe/Rome")
    assert caught.value.field == "period"
