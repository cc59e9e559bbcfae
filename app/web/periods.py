"""A period of whole local days (the metrics page's start and end dates) as aware UTC instants,
shared by the metrics of every feature (trends, case conferences) so they count the same days."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta, tzinfo


def period_bounds(
    start: date, end: date, zone: tzinfo, *, now: datetime | None = None
) -> tuple[datetime, datetime]:
    """[start 00:00, the day after end 00:00) in `zone`, as UTC; the end no later than `now`."""
    first = datetime.combine(start, time(0), tzinfo=zone).astimezone(UTC)
    last = datetime.combine(end + timedelta(days=1), time(0), tzinfo=zone).astimezone(UTC)
    return first, min(last, now) if now is not None else last
