"""Trend analytics as pure functions over plain data: no database, no Flask, tested directly.

Missing days are missing: they are never zeros, never successes and never failures. Every
threshold used here is named below and documented in docs/trends.md.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import IntEnum
from functools import lru_cache
from statistics import median

from app.diary.insights import HIGH_ACTIVITY_RATIO, MIN_DAYS_FOR_MEDIAN
from app.instruments import scoring
from app.instruments.loader import Definition

ADHERENCE_DAYS = 14
LOW_ADHERENCE = 0.5  # below half of the last 14 days recorded
RISE_POINTS = 2  # a symptom at least 2 points above the patient's own recent median ...
RISE_RUN = 3  # ... on 3 consecutive recorded days
RISE_RECENT_DAYS = 7  # the run must lie within the last 7 days
RISE_BASELINE_DAYS = 14  # the median is taken over the 14 days before those 7
RISE_MIN_BASELINE = 4  # recorded days needed for that median
FLARE_POINTS = 2  # a flare: the day's symptom level at least 2 above the patient's median
FLARE_WITHIN_DAYS = 2  # boom-bust: the flare follows the busy day within 48 hours
RESPONSE_REDUCTION = 0.5  # PHQ-9 response: at least 50 % reduction from baseline
REMISSION_BELOW = 5  # PHQ-9 remission: total below 5
NOT_IMPROVED_FROM_WEEK = 8  # judged from week 8 after the baseline (weeks 8-12 and later)


@dataclass(frozen=True)
class Adherence:
    recorded: int
    total: int

    @property
    def ratio(self) -> float | None:
        return self.recorded / self.total if self.total else None

    @property
    def percent(self) -> int | None:
        ratio = self.ratio
        return None if ratio is None else round(ratio * 100)

    @property
    def low(self) -> bool:
        ratio = self.ratio
        return ratio is not None and ratio < LOW_ADHERENCE


def adherence(
    recorded: Iterable[date], *, start: date, end: date, enrolled_on: date, today: date
) -> Adherence:
    """Diary days recorded among the days the patient could record, the one rule every view
    shares (trends, caseload, pre-visit summary, pathway metrics).

    The window is [start, end] cut to the days since enrollment (`enrolled_on`, the patient's
    local date) and up to `today` (the patient's local date); today counts only once it has an
    entry, since the day is not over. So a patient enrolled today is 0 of 0, never low, and
    one enrolled three days ago with three entries is 3 of 3.
    """
    first, upper = max(start, enrolled_on), min(end, today)
    days = {day for day in recorded if first <= day <= upper}
    last = min(end, today if today in days else today - timedelta(days=1))
    if last < first:
        return Adherence(0, 0)
    return Adherence(len(days), (last - first).days + 1)


# --- questionnaire change ------------------------------------------------------------------


@dataclass(frozen=True)
class ScorePoint:
    at: datetime
    total: int | None  # None: incomplete, not computable
    band: str | None = None
    substituted: bool = False


@dataclass(frozen=True)
class ScoreChange:
    latest: ScorePoint | None
    at_last_visit: ScorePoint | None
    baseline: ScorePoint | None
    vs_last_visit: scoring.ChangeResult | None
    vs_baseline: scoring.ChangeResult | None

    @property
    def worse(self) -> bool:
        return any(
            c is not None and c.flag == "worse" for c in (self.vs_last_visit, self.vs_baseline)
        )


def score_change(
    definition: Definition, points: Sequence[ScorePoint], *, last_visit: datetime | None
) -> ScoreChange:
    """Latest complete score against the score at the last visit and against the baseline.

    The baseline is the first complete score ever; the score at the last visit is the latest
    complete score given at or before it (None without a visit or before any score). Change
    flags come from app.instruments.scoring.change (the instrument's own threshold and bands).
    """
    complete = sorted((p for p in points if p.total is not None), key=lambda p: p.at)
    if not complete:
        return ScoreChange(None, None, None, None, None)
    latest, baseline = complete[-1], complete[0]
    at_visit = None
    if last_visit is not None:
        before = [p for p in complete if p.at <= last_visit]
        at_visit = before[-1] if before else None

    def compare(reference: ScorePoint | None) -> scoring.ChangeResult | None:
        if reference is None or reference is latest:
            return None
        assert latest.total is not None and reference.total is not None  # noqa: S101
        return scoring.change(definition, latest.total, reference.total)

    return ScoreChange(
        latest,
        at_visit,
        baseline,
        compare(at_visit),
        compare(baseline if len(complete) > 1 else None),
    )


def not_improving(points: Sequence[tuple[date, int]], *, today: date) -> bool | None:
    """PHQ-9 not improved by weeks 8-12: consider a consultation.

    True when at least 8 weeks have passed since the baseline (the first total), the baseline
    was not already below remission (< 5), and the latest total given from week 8 on is neither
    a response (a reduction of at least 50 %) nor a remission. None when it cannot be judged
    yet (no baseline, under 8 weeks, or no total since week 8); False otherwise.
    """
    ordered = sorted(points)
    if not ordered:
        return None
    baseline_day, baseline = ordered[0]
    judged_from = baseline_day + timedelta(weeks=NOT_IMPROVED_FROM_WEEK)
    if baseline < REMISSION_BELOW or today < judged_from:
        return None
    later = [total for day, total in ordered if day >= judged_from]
    if not later:
        return None
    latest = later[-1]
    responded = latest <= baseline * (1 - RESPONSE_REDUCTION)
    return not (responded or latest < REMISSION_BELOW)


# --- diary trends --------------------------------------------------------------------------


def median_or_none(values: Iterable[float]) -> float | None:
    known = list(values)
    return median(known) if known else None


def sustained_rise(
    values: Mapping[date, float],
    *,
    today: date,
    points: float = RISE_POINTS,
    run: int = RISE_RUN,
    recent_days: int = RISE_RECENT_DAYS,
    baseline_days: int = RISE_BASELINE_DAYS,
) -> date | None:
    """The last day of a run of `run` consecutive days, within the last `recent_days`, each at
    least `points` above the median of the `baseline_days` before them; None otherwise.
    A missing day breaks a run (it is not assumed high or low)."""
    recent = _last_days(today, recent_days)
    recent_start = recent[0]
    baseline_start = recent_start - timedelta(days=baseline_days)
    baseline = [v for d, v in values.items() if baseline_start <= d < recent_start]
    if len(baseline) < RISE_MIN_BASELINE:
        return None
    threshold = median(baseline) + points
    found, streak = None, 0
    for day, value in zip(recent, map(values.get, recent), strict=True):
        streak = streak + 1 if value is not None and value >= threshold else 0
        if streak >= run:
            found = day
    return found


@lru_cache(maxsize=64)
def _last_days(today: date, count: int) -> tuple[date, ...]:
    """The `count` days up to `today`, oldest first (a caseload judges thousands of patients
    against the same few days)."""
    return tuple(today - timedelta(days=count - 1 - n) for n in range(count))


@dataclass(frozen=True)
class Episode:
    """Boom-bust: busy day(s) well above the patient's own median, then a flare within 48 h."""

    boom_start: date
    boom_end: date
    minutes: int  # the most active day's minutes
    flare_on: date
    flare_level: float
    usual_minutes: float  # the patient's median


def boom_bust(
    activity: Mapping[date, int],
    levels: Mapping[date, float],
    *,
    ratio: float = HIGH_ACTIVITY_RATIO,
    flare_points: float = FLARE_POINTS,
    within_days: int = FLARE_WITHIN_DAYS,
) -> list[Episode]:
    """Episodes, oldest first. `activity`: active (non-rest) minutes per recorded day;
    `levels`: the day's symptom level (0-10) per recorded day. Needs MIN_DAYS_FOR_MEDIAN
    recorded days of each; busy days sharing one flare are one episode."""
    if len(activity) < MIN_DAYS_FOR_MEDIAN or len(levels) < MIN_DAYS_FOR_MEDIAN:
        return []
    usual = median(activity.values())
    if usual <= 0:
        return []
    flare_at = median(levels.values()) + flare_points
    by_flare: dict[date, Episode] = {}
    for day in sorted(activity):
        minutes = activity[day]
        if minutes <= usual * ratio:
            continue
        flare = next(
            (
                later
                for later in (day + timedelta(days=n) for n in range(1, within_days + 1))
                if later in levels and levels[later] >= flare_at
            ),
            None,
        )
        if flare is None:
            continue
        known = by_flare.get(flare)
        if known is None:
            by_flare[flare] = Episode(day, day, minutes, flare, levels[flare], usual)
        else:
            by_flare[flare] = Episode(
                known.boom_start, day, max(known.minutes, minutes), flare, levels[flare], usual
            )
    return sorted(by_flare.values(), key=lambda e: e.boom_start)


# --- upcoming-list flags -------------------------------------------------------------------


class Flag(IntEnum):
    """Reasons to look closer before a visit, most urgent first (the value is the rank)."""

    OPEN_ALERT = 1
    WORSENING = 2
    SYMPTOM_RISE = 3
    LOW_ADHERENCE = 4
    OVERDUE_QUESTIONNAIRE = 5
    NO_DATA_SINCE_VISIT = 6


def urgency(flags: Iterable[Flag]) -> tuple[int, int]:
    """Sort key: the most urgent flag first, then more flags first; no flag sorts last."""
    ranks = sorted(flags)
    return (ranks[0] if ranks else len(Flag) + 1, -len(ranks))


def no_data_since(
    reference: datetime | None,
    *,
    last_entry_day: date | None,
    last_response_at: datetime | None,
    reference_day: date | None,
) -> bool:
    """Nothing recorded (diary or questionnaire) since the last visit (or enrollment)."""
    if reference is None:
        return False
    diary_since = (
        last_entry_day is not None and reference_day is not None and last_entry_day >= reference_day
    )
    answers_since = last_response_at is not None and last_response_at >= reference
    return not (diary_since or answers_since)
