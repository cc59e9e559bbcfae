"""Diary-based alert rules as pure functions: a sustained symptom rise, and a silent diary.

A rise counts only on consecutive recorded days; missing days are never read as zero.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from statistics import median

SUSTAINED_DAYS = 3
BASELINE_DAYS = 14
MIN_BASELINE_DAYS = 4


@dataclass(frozen=True)
class Rise:
    symptom: str
    baseline: float
    last_days: tuple[float, ...]
    ends_on: date


def sustained_rise(
    series: Mapping[date, float | None], *, symptom: str, today: date, points: int
) -> Rise | None:
    """The last SUSTAINED_DAYS days (ending today or yesterday) are all recorded and each at
    least `points` above the median of the BASELINE_DAYS days before them."""
    for end in (today, today - timedelta(days=1)):
        window = [end - timedelta(days=i) for i in reversed(range(SUSTAINED_DAYS))]
        values = [series.get(day) for day in window]
        if any(value is None for value in values):
            continue
        start = window[0]
        before = [
            value
            for offset in range(1, BASELINE_DAYS + 1)
            if (value := series.get(start - timedelta(days=offset))) is not None
        ]
        if len(before) < MIN_BASELINE_DAYS:
            continue
        baseline = median(before)
        if all(value >= baseline + points for value in values):  # type: ignore[operator]
            return Rise(symptom, baseline, tuple(values), end)  # type: ignore[arg-type]
    return None


def silent_since(
    last_entry: date | None, *, enrolled_on: date, today: date, days: int
) -> date | None:
    """The first silent day when nothing was recorded for `days` days, else None."""
    reference = last_entry or enrolled_on - timedelta(days=1)
    if (today - reference).days > days:
        return reference + timedelta(days=1)
    return None
