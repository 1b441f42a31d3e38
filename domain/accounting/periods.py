"""Report periods: which calendar days (in `OMSBOT_TIMEZONE`) a report covers, and the UTC
instants where those days begin."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from domain.errors import ValidationError

MAX_DAYS = 366
FIRST_YEAR, LAST_YEAR = 1970, 9998
ROLLING = {"today": 1, "week": 7, "month": 30}
_MONTH = re.compile(r"([0-9]{4})-([0-9]{2})")
_RANGE = re.compile(r"([0-9]{4}-[0-9]{2}-[0-9]{2})\.\.([0-9]{4}-[0-9]{2}-[0-9]{2})")
PERIOD_HELP = "use today, week, month, YYYY-MM or YYYY-MM-DD..YYYY-MM-DD"


@dataclass(frozen=True)
class ReportWindow:
    """The days `first`..`last` (both included; calendar days in `timezone`) of `period`."""

    period: str
    first: date
    last: date
    timezone: str

    @property
    def days(self) -> list[date]:
        """Every day of the window, in order."""
        return [self.first + timedelta(days=i) for i in range((self.last - self.first).days + 1)]

    def midnights(self) -> list[datetime]:
        """Aware UTC instants where each day begins, plus the end of the last day
        (len(days) + 1 of them; a day may be 23 or 25 hours long around DST changes)."""
        zone = ZoneInfo(self.timezone)
        return [datetime.combine(self.first + timedelta(days=i), time(0), zone).astimezone(UTC)
                for i in range(len(self.days) + 1)]

    @property
    def start(self) -> datetime:
        """Aware UTC: the first moment of the window."""
        return local_midnight(self.first, self.timezone)

    @property
    def end(self) -> datetime:
        """Aware UTC: the first moment after the window."""
        return local_midnight(self.last + timedelta(days=1), self.timezone)

    @property
    def title(self) -> str:
        """`Last 7 days, 18 Nov – 24 Nov 2026 (Europe/Rome)` and the like, for people."""
        if self.period == "today":
            label = f"Today, {self.first.strftime('%a %d %b %Y')}"
        elif self.period in ROLLING:
            label = (f"Last {len(self.days)} days, {self.first.strftime('%d %b')} – "
                     f"{self.last.strftime('%d %b %Y')}")
        elif self.first == self.last:
            label = self.first.strftime("%a %d %b %Y")
        elif _MONTH.fullmatch(self.period):
            label = self.first.strftime("%B %Y")
        else:
            label = f"{self.first.strftime('%d %b %Y')} – {self.last.strftime('%d %b %Y')}"
        return f"{label} ({self.timezone})"


def local_midnight(day: date, timezone: str) -> datetime:
    """Aware UTC instant where `day` begins in `timezone`."""
    return datetime.combine(day, time(0), ZoneInfo(timezone)).astimezone(UTC)


def local_day(moment: datetime, timezone: str) -> date:
    """The calendar day in `timezone` of an aware instant."""
    return moment.astimezone(ZoneInfo(timezone)).date()


def report_window(period: str, now: datetime, timezone: str,
                  field: str = "period") -> ReportWindow:
    """`today` (the local day of `now`), `week` / `month` (the last 7 / 30 days, today
    included), `YYYY-MM` (that calendar month), `YYYY-MM-DD..YYYY-MM-DD` (both days
    included, at most 366 days). Days are in `timezone`; `ValidationError(field)` otherwise."""
    today = local_day(now, timezone)
    text = period.strip().lower()
    if text in ROLLING:
        return ReportWindow(text, today - timedelta(days=ROLLING[text] - 1), today, timezone)
    if match := _MONTH.fullmatch(text):
        year, month = int(match.group(1)), int(match.group(2))
        if not 1 <= month <= 12 or not FIRST_YEAR <= year <= LAST_YEAR:
            raise ValidationError(field, f"{period!r} is not a month; {PERIOD_HELP}")
        following = date(year + month // 12, month % 12 + 1, 1)
        return ReportWindow(text, date(year, month, 1), following - timedelta(days=1), timezone)
    if match := _RANGE.fullmatch(text):
        try:
            first, last = (date.fromisoformat(match.group(i)) for i in (1, 2))
        except ValueError:
            raise ValidationError(field, f"{period!r} has a day that does not exist") from None
        if first.year < FIRST_YEAR or last.year > LAST_YEAR:
            raise ValidationError(field, f"days from {FIRST_YEAR} to {LAST_YEAR} only")
        if last < first:
            raise ValidationError(field, "the first day must not be after the last")
        if (last - first).days + 1 > MAX_DAYS:
            raise ValidationError(field, f"a report covers at most {MAX_DAYS} days")
        return ReportWindow(text, first, last, timezone)
    raise ValidationError(field, f"{period!r} is not a period; {PERIOD_HELP}")
