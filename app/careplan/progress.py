"""Progress toward a goal, computed by pure functions over plain observations.

Observations are ``(date, value or None)`` pairs. Only days inside ``[start, end]`` count.
A day with ``None`` (or no pair at all) is a missing day: it is never treated as zero, never
as a success and never as a failure. When one date appears twice the last pair wins.

Rules (documented in docs/care-plan.md, tested in tests/careplan/test_progress.py):

* every kind needs at least half of the window's days recorded (``ceil(window / 2)``),
  except questionnaire totals, which need one score in the window;
* ``days_at_least_per_week``: met when the qualifying days reach the weekly target scaled to
  the window; on track when the recorded days qualify at the target rate but missing days
  leave the target unconfirmed; otherwise not yet;
* ``at_most_on_most_days``: met when more than half of the recorded days are at most the
  maximum; on track when that holds for the last 7 days of the window; otherwise not yet;
* ``instrument_total_below``: met when the latest total is below the threshold; on track
  when it is lower than the first total in the window; otherwise not yet.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

Observation = tuple[date, float | None]


class Status(StrEnum):
    MET = "met"
    ON_TRACK = "on_track"
    NOT_YET = "not_yet"
    NOT_ENOUGH_DATA = "not_enough_data"
    NOT_LINKED = "not_linked"  # a goal described in words only
    NO_SOURCE = "no_source"  # linked to data Heed does not provide yet


@dataclass(frozen=True)
class Progress:
    status: Status
    window_days: int = 0
    recorded_days: int = 0
    qualifying_days: int = 0
    needed_days: int = 0
    latest: float | None = None
    first: float | None = None
    latest_on: date | None = None


NOT_LINKED = Progress(Status.NOT_LINKED)
NO_SOURCE = Progress(Status.NO_SOURCE)


def window_length(start: date, end: date) -> int:
    if end < start:
        raise ValueError("the window ends before it starts")
    return (end - start).days + 1


def minimum_recorded(window_days: int) -> int:
    return math.ceil(window_days / 2)


def in_window(observations: Iterable[Observation], start: date, end: date) -> dict[date, float]:
    """Recorded values by day inside the window; missing days are absent, not zero."""
    values: dict[date, float] = {}
    for day, value in observations:
        if not start <= day <= end:
            continue
        if value is None or (isinstance(value, float) and math.isnan(value)):
            values.pop(day, None)
            continue
        values[day] = float(value)
    return values


def days_at_least_per_week(
    observations: Iterable[Observation],
    *,
    start: date,
    end: date,
    minimum: float,
    days_per_week: int,
) -> Progress:
    """E.g. 'sleep at least 7 h on 5 nights a week', 'walk 20 minutes on 5 days a week'."""
    window = window_length(start, end)
    values = in_window(observations, start, end)
    recorded = len(values)
    hits = sum(1 for value in values.values() if value >= minimum)
    needed = math.ceil(days_per_week * window / 7)
    result = Progress(
        Status.NOT_YET,
        window_days=window,
        recorded_days=recorded,
        qualifying_days=hits,
        needed_days=needed,
    )
    if hits >= needed:
        return _with(result, Status.MET)
    if recorded < minimum_recorded(window):
        return _with(result, Status.NOT_ENOUGH_DATA)
    if hits * window >= needed * recorded:
        return _with(result, Status.ON_TRACK)
    return result


def at_most_on_most_days(
    observations: Iterable[Observation], *, start: date, end: date, maximum: float
) -> Progress:
    """E.g. 'pain at most 4 on most days': more than half of the recorded days."""
    window = window_length(start, end)
    values = in_window(observations, start, end)
    recorded = len(values)
    good = sum(1 for value in values.values() if value <= maximum)
    result = Progress(
        Status.NOT_YET,
        window_days=window,
        recorded_days=recorded,
        qualifying_days=good,
        needed_days=recorded // 2 + 1,
    )
    if recorded < minimum_recorded(window):
        return _with(result, Status.NOT_ENOUGH_DATA)
    if good * 2 > recorded:
        return _with(result, Status.MET)
    recent_start = max(start, end - timedelta(days=6))
    recent = [v for day, v in values.items() if day >= recent_start]
    recent_good = sum(1 for value in recent if value <= maximum)
    enough_recent = len(recent) >= minimum_recorded(window_length(recent_start, end))
    if enough_recent and recent_good * 2 > len(recent):
        return _with(result, Status.ON_TRACK)
    return result


def instrument_total_below(
    observations: Iterable[Observation], *, start: date, end: date, threshold: float
) -> Progress:
    """E.g. 'PHQ-9 below 10': judged on the latest total in the window."""
    window = window_length(start, end)
    values = in_window(observations, start, end)
    if not values:
        return Progress(Status.NOT_ENOUGH_DATA, window_days=window)
    days = sorted(values)
    first, latest = values[days[0]], values[days[-1]]
    status = Status.NOT_YET
    if latest < threshold:
        status = Status.MET
    elif len(days) >= 2 and latest < first:
        status = Status.ON_TRACK
    return Progress(
        status,
        window_days=window,
        recorded_days=len(days),
        latest=latest,
        first=first,
        latest_on=days[-1],
    )


def _with(result: Progress, status: Status) -> Progress:
    return Progress(
        status,
        window_days=result.window_days,
        recorded_days=result.recorded_days,
        qualifying_days=result.qualifying_days,
        needed_days=result.needed_days,
        latest=result.latest,
        first=result.first,
        latest_on=result.latest_on,
    )
