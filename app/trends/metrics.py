"""Pathway metrics for a coordinator's clinic over a chosen period: reads, then pure functions."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString

from app.auth.models import User
from app.diary.queries import patient_zone
from app.i18n import valid_timezone
from app.trends import pathway, prompt_metrics
from app.trends import queries as q
from app.web.periods import period_bounds

DEFAULT_DAYS = 90
MAX_DAYS = 3 * 366


class BadRange(ValueError):
    pass


def parse_range(raw_start: str | None, raw_end: str | None, *, today: date) -> tuple[date, date]:
    """ISO dates (both optional: the last 90 days); refused when malformed, reversed, in the
    future or longer than three years."""
    try:
        end = date.fromisoformat(raw_end) if raw_end else today
        start = (
            date.fromisoformat(raw_start) if raw_start else end - timedelta(days=DEFAULT_DAYS - 1)
        )
    except ValueError as error:
        raise BadRange("malformed") from error
    if start > end or end > today or (end - start).days >= MAX_DAYS:
        raise BadRange("out_of_range")
    return start, end


@dataclass(frozen=True)
class Metric:
    code: str
    label: LazyString
    definition: LazyString
    rate: pathway.Rate | None = None
    duration: timedelta | None = None
    detail: dict[str, int] | None = None
    available: bool = True


DEFINITIONS = {
    "care_plan": (
        _l("Documented care plan"),
        _l(
            "Patients enrolled by the end of the period who had a saved care plan by then, among all patients enrolled by then."
        ),
    ),
    "first_followup": (
        _l("First follow-up within 4 weeks"),
        _l(
            "Patients enrolled in the period, whose first 4 weeks ended within it, who had a follow-up marked done within 4 weeks of enrollment."
        ),
    ),
    "followup_completion": (
        _l("Follow-up completion"),
        _l(
            "Follow-ups due in the period (already past) marked done, among those marked done or missed. Cancelled ones are left out; past ones still marked planned are shown as not recorded."
        ),
    ),
    "questionnaire_completion": (
        _l("Questionnaire completion"),
        _l(
            "Questionnaire windows that closed in the period and were answered, among all that closed."
        ),
    ),
    "diary_adherence": (
        _l("Diary adherence"),
        _l("Days with a diary entry among the days each patient was enrolled within the period."),
    ),
    "sms_response": (
        _l("Text-message response rate"),
        _l("Text-message prompts answered among prompts sent in the period."),
    ),
    "time_to_acknowledge": (
        _l("Median time to acknowledge alerts"),
        _l(
            "For alerts raised in the period and acknowledged: the median time from raising to acknowledgement."
        ),
    ),
}


def _metric(code: str, **values) -> Metric:
    label, definition = DEFINITIONS[code]
    return Metric(code, label, definition, **values)


def compute(coordinator: User, *, start: date, end: date, now: datetime) -> list[Metric]:
    """Every metric for the coordinator's clinic (a fixed number of queries)."""
    zone = ZoneInfo(valid_timezone(coordinator.timezone) or "UTC")
    start_at, end_at = period_bounds(start, end, zone, now=now)
    clinic_id = coordinator.clinic_id
    assert clinic_id is not None  # noqa: S101 - coordinators belong to a clinic
    facts = [
        pathway.PatientFacts(
            patient.id,
            patient.enrolled_at,
            patient.enrolled_at.astimezone(patient_zone(patient)).date(),
            first_plan,
        )
        for patient, first_plan in q.clinic_patients_with_plans(clinic_id)
    ]
    visits = [pathway.Visit(pid, at, status) for pid, at, status in q.clinic_visits(clinic_id)]
    completion = pathway.followup_completion(visits, start=start_at, end=end_at, now=now)
    median_wait, acknowledged, still_open = pathway.time_to_acknowledge(
        q.alert_times(clinic_id, start=start_at, end=end_at), start=start_at, end=end_at
    )
    counts = prompt_metrics.prompt_counts(clinic_id, start_at, end_at)
    return [
        _metric("care_plan", rate=pathway.care_plan_share(facts, end=end_at)),
        _metric(
            "first_followup",
            rate=pathway.first_followup_within_4_weeks(facts, visits, start=start_at, end=end_at),
        ),
        _metric(
            "followup_completion",
            rate=completion.rate,
            detail={"not_recorded": completion.not_recorded},
        ),
        _metric(
            "questionnaire_completion",
            rate=pathway.questionnaire_completion(
                q.closed_windows(clinic_id, start=start_at, end=end_at)
            ),
        ),
        _metric(
            "diary_adherence",
            rate=pathway.diary_adherence(
                facts,
                q.entry_days(clinic_id, start=start, end=end),
                start=start,
                end=end,
                today=now.astimezone(zone).date(),
            ),
        ),
        _metric(
            "sms_response",
            rate=pathway.sms_response_rate(counts.sent, counts.answered),
            available=counts is not None,
        ),
        _metric(
            "time_to_acknowledge",
            duration=median_wait,
            detail={"acknowledged": acknowledged, "open": still_open},
        ),
    ]
