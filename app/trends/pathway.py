"""Process measures of the collaborative-care pathway, as pure functions over plain facts.

Each metric returns a Rate (numerator, denominator) or a duration, never a number computed in a
template. Definitions are shown on the metrics page next to each value (see `DEFINITIONS` in
app/trends/wording.py) and in docs/trends.md.
"""

from __future__ import annotations

import uuid
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from statistics import median

from app.trends.analytics import adherence

FIRST_FOLLOWUP_WITHIN = timedelta(weeks=4)


@dataclass(frozen=True)
class Rate:
    numerator: int
    denominator: int

    @property
    def available(self) -> bool:
        return self.denominator > 0

    @property
    def percent(self) -> int | None:
        return round(100 * self.numerator / self.denominator) if self.denominator else None


@dataclass(frozen=True)
class PatientFacts:
    id: uuid.UUID
    enrolled_at: datetime
    enrolled_on: date  # local date of enrollment
    first_plan_at: datetime | None = None


@dataclass(frozen=True)
class Visit:
    patient_id: uuid.UUID
    starts_at: datetime
    status: str  # planned / done / missed / cancelled


def care_plan_share(patients: Iterable[PatientFacts], *, end: datetime) -> Rate:
    """Patients enrolled by the end of the period with a care plan saved by then."""
    enrolled = [p for p in patients if p.enrolled_at <= end]
    with_plan = [p for p in enrolled if p.first_plan_at is not None and p.first_plan_at <= end]
    return Rate(len(with_plan), len(enrolled))


def first_followup_within_4_weeks(
    patients: Iterable[PatientFacts], visits: Iterable[Visit], *, start: datetime, end: datetime
) -> Rate:
    """Patients enrolled in the period whose 4 weeks had passed by its end: how many had a
    follow-up that took place (status done) within 4 weeks of enrollment."""
    done: dict[uuid.UUID, list[datetime]] = {}
    for visit in visits:
        if visit.status == "done":
            done.setdefault(visit.patient_id, []).append(visit.starts_at)
    eligible = [
        p
        for p in patients
        if start <= p.enrolled_at and p.enrolled_at + FIRST_FOLLOWUP_WITHIN <= end
    ]
    timely = [
        p
        for p in eligible
        if any(
            p.enrolled_at <= at <= p.enrolled_at + FIRST_FOLLOWUP_WITHIN
            for at in done.get(p.id, ())
        )
    ]
    return Rate(len(timely), len(eligible))


@dataclass(frozen=True)
class FollowupCompletion:
    rate: Rate  # done / (done + missed)
    not_recorded: int  # past visits still marked planned


def followup_completion(
    visits: Iterable[Visit], *, start: datetime, end: datetime, now: datetime
) -> FollowupCompletion:
    """Follow-ups due in the period (and already past): done among done or missed. Cancelled
    ones are left out; past ones still 'planned' are counted separately as not recorded."""
    due = [v for v in visits if start <= v.starts_at <= end and v.starts_at <= now]
    done = sum(1 for v in due if v.status == "done")
    missed = sum(1 for v in due if v.status == "missed")
    planned = sum(1 for v in due if v.status == "planned")
    return FollowupCompletion(Rate(done, done + missed), planned)


def questionnaire_completion(windows: Iterable[bool]) -> Rate:
    """Questionnaire windows that closed in the period: answered (True) among all."""
    answered = list(windows)
    return Rate(sum(answered), len(answered))


def diary_adherence(
    patients: Iterable[PatientFacts],
    days_per_patient: Mapping[uuid.UUID, Collection[date]],
    *,
    start: date,
    end: date,
    today: date,
) -> Rate:
    """Diary days recorded among the days each patient could record within the period: the
    same rule as every other adherence figure (`analytics.adherence`), summed over patients."""
    possible = recorded = 0
    for patient in patients:
        one = adherence(
            days_per_patient.get(patient.id, ()),
            start=start,
            end=end,
            enrolled_on=patient.enrolled_on,
            today=today,
        )
        possible += one.total
        recorded += one.recorded
    return Rate(recorded, possible)


def sms_response_rate(sent: int, answered: int) -> Rate:
    """Prompts answered among prompts sent (`prompt_metrics.prompt_counts` reads both)."""
    return Rate(min(answered, sent), sent)


def median_duration(durations: Sequence[timedelta]) -> timedelta | None:
    if not durations:
        return None
    seconds = median(d.total_seconds() for d in durations)
    return timedelta(seconds=round(seconds))


def time_to_acknowledge(
    alerts: Iterable[tuple[datetime, datetime | None]], *, start: datetime, end: datetime
) -> tuple[timedelta | None, int, int]:
    """Alerts raised in the period: the median time to acknowledgement of those acknowledged,
    how many were acknowledged, and how many are still open."""
    in_period = [(raised, ack) for raised, ack in alerts if start <= raised <= end]
    waits = [ack - raised for raised, ack in in_period if ack is not None]
    return median_duration(waits), len(waits), len(in_period) - len(waits)
