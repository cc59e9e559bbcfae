"""My patterns: cautious same-day and lagged associations. Pure functions, no database.

An association compares the average of an outcome (a symptom, 0-10) on days with a factor
(e.g. less than 6 hours of sleep) against days without it, the same day or 1-3 days later.
It is reported only with at least MIN_DAYS days on each side, and only when the difference
is at least MIN_DIFFERENCE points. These are associations, never causes.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from statistics import mean, median

from app.diary.models import ActivityKind, DiaryEntry, EntryMode

MIN_DAYS = 3
MIN_DIFFERENCE = 1.0
MAX_LAG = 3
SHORT_SLEEP_MINUTES = 6 * 60
HIGH_STRESS = 7
HIGH_ACTIVITY_RATIO = 1.5
MIN_DAYS_FOR_MEDIAN = 7
RECOMMENDED_DAYS = 30
MAX_FINDINGS = 8
OVERALL = "overall"  # the outcome key of the day's overall symptom level


@dataclass(frozen=True)
class DayFacts:
    """What one diary day says. None = not recorded that day (unknown, not 'no')."""

    sleep_minutes: int | None = None
    stress: int | None = None
    triggers: frozenset[str] | None = None
    activity_minutes: int | None = None
    outcomes: Mapping[str, float] | None = None


def heaviness(entry: DiaryEntry) -> int | None:
    """How heavy symptoms were that day: the overall level, else the worst rated symptom."""
    if entry.overall_symptoms is not None:
        return entry.overall_symptoms
    scores = [r.score for r in entry.symptoms]
    return max(scores) if scores else None


def day_facts(entries: list[DiaryEntry]) -> dict[date, DayFacts]:
    facts: dict[date, DayFacts] = {}
    for entry in entries:
        done = [
            b.done_minutes
            for b in entry.activities
            if b.kind != ActivityKind.REST and b.done_minutes is not None
        ]
        outcomes: dict[str, float] = {r.symptom_key: r.score for r in entry.symptoms}
        if entry.overall_symptoms is not None:
            outcomes[OVERALL] = entry.overall_symptoms
        asked_triggers = entry.mode == EntryMode.FULL or bool(entry.triggers)
        facts[entry.local_date] = DayFacts(
            sleep_minutes=entry.sleep_minutes,
            stress=entry.stress,
            triggers=frozenset(entry.triggers or ()) if asked_triggers else None,
            activity_minutes=sum(done) if done else None,
            outcomes=outcomes or None,
        )
    return facts


@dataclass(frozen=True, order=True)
class Factor:
    kind: str  # "short_sleep", "high_stress", "high_activity" or "trigger"
    code: str = ""


@dataclass(frozen=True)
class Association:
    factor: Factor
    outcome: str
    lag: int
    mean_with: float
    mean_without: float
    days_with: int
    days_without: int

    @property
    def difference(self) -> float:
        return round(self.mean_with - self.mean_without, 1)


@dataclass(frozen=True)
class NeedsData:
    factor: Factor
    days_with: int
    days_without: int

    @property
    def more_with(self) -> int:
        return max(0, MIN_DAYS - self.days_with)

    @property
    def more_without(self) -> int:
        return max(0, MIN_DAYS - self.days_without)


@dataclass(frozen=True)
class PatternReport:
    associations: list[Association]
    needs_data: list[NeedsData]
    days_recorded: int

    @property
    def more_days_recommended(self) -> int:
        return max(0, RECOMMENDED_DAYS - self.days_recorded)


def _presence(days: Mapping[date, DayFacts]) -> dict[Factor, dict[date, bool]]:
    """For every factor, the days on which it is known to be present (True) or absent (False)."""
    result: dict[Factor, dict[date, bool]] = {}
    active = [f.activity_minutes for f in days.values() if f.activity_minutes is not None]
    threshold = (
        median(active) * HIGH_ACTIVITY_RATIO
        if len(active) >= MIN_DAYS_FOR_MEDIAN and median(active) > 0
        else None
    )
    codes = sorted({code for f in days.values() for code in (f.triggers or ())})
    for day, facts in days.items():
        if facts.sleep_minutes is not None:
            result.setdefault(Factor("short_sleep"), {})[day] = (
                facts.sleep_minutes < SHORT_SLEEP_MINUTES
            )
        if facts.stress is not None:
            result.setdefault(Factor("high_stress"), {})[day] = facts.stress >= HIGH_STRESS
        if threshold is not None and facts.activity_minutes is not None:
            result.setdefault(Factor("high_activity"), {})[day] = facts.activity_minutes > threshold
        if facts.triggers is not None:
            for code in codes:
                result.setdefault(Factor("trigger", code), {})[day] = code in facts.triggers
    return result


def _compare(
    presence: Mapping[date, bool], outcome: str, lag: int, days: Mapping[date, DayFacts]
) -> tuple[list[float], list[float]]:
    with_factor: list[float] = []
    without: list[float] = []
    for day, present in presence.items():
        later = days.get(day + timedelta(days=lag))
        if later is None or later.outcomes is None or outcome not in later.outcomes:
            continue
        (with_factor if present else without).append(later.outcomes[outcome])
    return with_factor, without


def find_patterns(days: Mapping[date, DayFacts]) -> PatternReport:
    """Associations between factors and outcomes over lags 0..MAX_LAG, strongest first."""
    outcomes = sorted({key for f in days.values() for key in (f.outcomes or {})})
    findings: list[Association] = []
    needs: list[NeedsData] = []
    for factor, presence in sorted(_presence(days).items()):
        present = sum(presence.values())
        absent = len(presence) - present
        if present == 0:
            continue
        if present < MIN_DAYS or absent < MIN_DAYS:
            needs.append(NeedsData(factor, present, absent))
            continue
        for outcome in outcomes:
            best: Association | None = None
            for lag in range(MAX_LAG + 1):
                with_factor, without = _compare(presence, outcome, lag, days)
                if len(with_factor) < MIN_DAYS or len(without) < MIN_DAYS:
                    continue
                candidate = Association(
                    factor,
                    outcome,
                    lag,
                    round(mean(with_factor), 1),
                    round(mean(without), 1),
                    len(with_factor),
                    len(without),
                )
                if best is None or abs(candidate.difference) > abs(best.difference):
                    best = candidate
            if best is not None and abs(best.difference) >= MIN_DIFFERENCE:
                findings.append(best)
    findings.sort(key=lambda a: (-abs(a.difference), a.factor, a.outcome, a.lag))
    return PatternReport(findings[:MAX_FINDINGS], needs, days_recorded=len(days))
