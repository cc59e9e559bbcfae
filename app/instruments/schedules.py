"""Occurrence planning as pure functions: which local dates are due, and each response window."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from app.instruments.models import ScheduleKind


@dataclass(frozen=True)
class Schedule:
    kind: ScheduleKind
    start: date
    interval_days: int | None = None
    weekdays: frozenset[int] = frozenset()  # Monday = 0
    days_before: int | None = None


def due_dates(
    schedule: Schedule, *, since: date, until: date, followups: Iterable[date] = ()
) -> list[date]:
    """Due dates in [max(start, since), until], in order, without duplicates."""
    first = max(schedule.start, since)
    if first > until:
        return []
    match schedule.kind:
        case ScheduleKind.ONCE:
            dates = [schedule.start] if since <= schedule.start <= until else []
        case ScheduleKind.EVERY_N_DAYS:
            step = schedule.interval_days or 1
            offset = (first - schedule.start).days
            k = -(-offset // step)  # ceiling division: the first multiple on or after `first`
            current = schedule.start + timedelta(days=k * step)
            dates = []
            while current <= until:
                dates.append(current)
                current += timedelta(days=step)
        case ScheduleKind.WEEKLY:
            span = (until - first).days + 1
            dates = [
                day
                for day in (first + timedelta(days=n) for n in range(span))
                if day.weekday() in schedule.weekdays
            ]
        case ScheduleKind.BEFORE_FOLLOWUP:
            before = timedelta(days=schedule.days_before or 0)
            dates = sorted({f - before for f in followups if first <= f - before <= until})
    return dates


def local_midnight(day: date, tz: str) -> datetime:
    """The first instant of a local date, in UTC (DST-safe: midnight is folded to the first)."""
    return datetime.combine(day, time(0), tzinfo=ZoneInfo(tz)).astimezone(UTC)


def window(due: date, *, tz: str, window_days: int) -> tuple[datetime, datetime]:
    """Opens at local midnight of the due date, closes window_days local days later."""
    return local_midnight(due, tz), local_midnight(due + timedelta(days=window_days), tz)


def local_today(now: datetime, tz: str) -> date:
    return now.astimezone(ZoneInfo(tz)).date()
