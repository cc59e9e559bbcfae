"""Reads for trend views: a fixed number of aggregate queries, whatever the history length or
the number of patients. Every function takes already-authorized patients (or their ids)."""

from __future__ import annotations

import uuid
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import (
    String,
    and_,
    case,
    cast,
    func,
    literal,
    null,
    select,
    tuple_,
    type_coerce,
    union_all,
)
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import aliased
from sqlalchemy.sql.functions import FunctionElement

from app.alerts.models import Alert
from app.auth.models import User
from app.careplan import queries as careplan_queries
from app.careplan.content import Goal
from app.careplan.models import CarePlanVersion
from app.careplan.progress import Progress
from app.careteam.models import Patient
from app.db import UTCDateTime, among, db
from app.diary import queries as diary_queries
from app.diary.models import CaregiverObservation, DiaryEntry, SymptomRating
from app.diary.queries import SymptomDef
from app.followups.models import Appointment, AppointmentStatus
from app.instruments.models import CaregiverCheckin, Occurrence, Response

# --- one patient (pre-visit summary) -------------------------------------------------------


def questionnaire_rows(patient: Patient) -> list[tuple[Occurrence, Response | None]]:
    """Every occurrence with its response, oldest first (one query; ~80 rows a year)."""
    return list(
        db.session.execute(
            select(Occurrence, Response)
            .outerjoin(Response, Response.occurrence_id == Occurrence.id)
            .where(Occurrence.patient_id == patient.id)
            .order_by(Occurrence.due_date, Occurrence.instrument_id)
        )
    )


@dataclass(frozen=True)
class CaregiverReport:
    """What a caregiver reported: an observation of a day (symptoms, activity, sleep, note) or
    a weekly check-in (custom, non-validated items: observed function and activity, own strain).
    Always shown as caregiver report, never mixed into the patient's scores."""

    kind: str  # "observation" or "checkin"
    day: date  # the observed day; for a check-in, the patient's local day it was sent
    at: datetime
    reporter: str
    symptom_level: int | None = None
    activity_level: int | None = None
    sleep_disturbance: int | None = None
    observed_function: int | None = None
    observed_activity: int | None = None
    own_strain: int | None = None
    note: str | None = None

    @property
    def is_checkin(self) -> bool:
        return self.kind == CHECKIN


OBSERVATION, CHECKIN = "observation", "checkin"


def caregiver_reports(
    patient: Patient, start: date, end: date, *, zone: ZoneInfo
) -> list[CaregiverReport]:
    """Caregiver observations of days in [start, end] and check-ins sent on those local days,
    newest first (one query: both kinds in one UNION ALL)."""
    since = datetime.combine(start, time.min, tzinfo=zone)
    until = datetime.combine(end + timedelta(days=1), time.min, tzinfo=zone)
    observed = (
        select(
            literal(OBSERVATION).label("kind"),
            CaregiverObservation.local_date.label("day"),
            CaregiverObservation.created_at.label("at"),
            User.display_name.label("reporter"),
            CaregiverObservation.symptom_level.label("symptom_level"),
            CaregiverObservation.activity_level.label("activity_level"),
            CaregiverObservation.sleep_disturbance.label("sleep_disturbance"),
            null().label("observed_function"),
            null().label("observed_activity"),
            null().label("own_strain"),
            CaregiverObservation.note.label("note"),
        )
        .join(User, User.id == CaregiverObservation.observer_id)
        .where(
            CaregiverObservation.patient_id == patient.id,
            CaregiverObservation.local_date >= start,
            CaregiverObservation.local_date <= end,
        )
    )
    checked_in = (
        select(
            literal(CHECKIN),
            null(),
            CaregiverCheckin.submitted_at,
            User.display_name,
            null(),
            null(),
            null(),
            CaregiverCheckin.observed_function,
            CaregiverCheckin.observed_activity,
            CaregiverCheckin.own_strain,
            null(),
        )
        .join(User, User.id == CaregiverCheckin.caregiver_id)
        .where(
            CaregiverCheckin.patient_id == patient.id,
            CaregiverCheckin.submitted_at >= since,
            CaregiverCheckin.submitted_at < until,
        )
    )
    reports = [
        CaregiverReport(**{**row._asdict(), "day": row.day or row.at.astimezone(zone).date()})
        for row in db.session.execute(union_all(observed, checked_in))
    ]
    return sorted(reports, key=lambda r: (-r.day.toordinal(), r.at))


def alerts(patient: Patient, since: datetime) -> list[tuple[Alert, User | None]]:
    """Open alerts, and alerts raised or acknowledged since `since`; open first, newest first."""
    acknowledger = aliased(User)
    return list(
        db.session.execute(
            select(Alert, acknowledger)
            .outerjoin(acknowledger, acknowledger.id == Alert.acknowledged_by_id)
            .where(
                Alert.patient_id == patient.id,
                Alert.acknowledged_at.is_(None)
                | (Alert.created_at >= since)
                | (Alert.acknowledged_at >= since),
            )
            .order_by(Alert.acknowledged_at.is_not(None), Alert.created_at.desc())
        )
    )


@dataclass(frozen=True)
class SummaryReads:
    """Everything the pre-visit summary reads for one patient, loaded once."""

    entries: tuple[DiaryEntry, ...]  # from `lead_start` to the period's end, oldest first
    tracked: tuple[SymptomDef, ...]
    questionnaires: tuple[tuple[Occurrence, Response | None], ...]
    caregiver_reports: tuple[CaregiverReport, ...]
    alerts: tuple[tuple[Alert, User | None], ...]
    goals: tuple[tuple[Goal, Progress], ...]  # the latest care plan's goals with progress
    plan_changes: tuple[tuple[int, datetime], ...] = ()  # (version, saved at), oldest first


def summary_reads(
    patient: Patient, *, lead_start: date, start: date, end: date, zone: ZoneInfo
) -> SummaryReads:
    """The fixed set of reads behind a summary of [start, end] (plus one per care-plan goal
    linked to data)."""
    latest = careplan_queries.latest_version(patient)
    goals = latest.plan.goals if latest is not None else []
    return SummaryReads(
        entries=tuple(diary_queries.entries_between(patient, lead_start, end)),
        tracked=tuple(diary_queries.tracked_symptoms(patient)),
        questionnaires=tuple(questionnaire_rows(patient)),
        caregiver_reports=tuple(caregiver_reports(patient, start, end, zone=zone)),
        alerts=tuple(alerts(patient, datetime.combine(start, time.min, tzinfo=zone))),
        goals=tuple((g, careplan_queries.goal_progress(patient, g, end)) for g in goals),
        plan_changes=tuple(plan_changes(patient)),
    )


def plan_changes(patient: Patient) -> list[tuple[int, datetime]]:
    """Every care-plan version's number and time, oldest first (the content is not read)."""
    rows = db.session.execute(
        select(CarePlanVersion.version, CarePlanVersion.created_at)
        .where(CarePlanVersion.patient_id == patient.id)
        .order_by(CarePlanVersion.version)
    )
    return [(number, _aware(at)) for number, at in rows]


# --- many patients (upcoming list, caseload, metrics) --------------------------------------


def last_done_visits(ids: Collection[uuid.UUID], *, now: datetime) -> dict[uuid.UUID, datetime]:
    if not ids:
        return {}
    rows = db.session.execute(
        select(Appointment.patient_id, func.max(Appointment.starts_at))
        .where(
            among(Appointment.patient_id, ids),
            Appointment.status == AppointmentStatus.DONE,
            Appointment.starts_at <= now,
        )
        .group_by(Appointment.patient_id)
    )
    return {pid: _aware(at) for pid, at in rows}


def next_planned_visits(ids: Collection[uuid.UUID], *, now: datetime) -> dict[uuid.UUID, datetime]:
    if not ids:
        return {}
    rows = db.session.execute(
        select(Appointment.patient_id, func.min(Appointment.starts_at))
        .where(
            among(Appointment.patient_id, ids),
            Appointment.status == AppointmentStatus.PLANNED,
            Appointment.starts_at >= now,
        )
        .group_by(Appointment.patient_id)
    )
    return {pid: _aware(at) for pid, at in rows}


def open_alert_counts(ids: Collection[uuid.UUID]) -> dict[uuid.UUID, int]:
    if not ids:
        return {}
    rows = db.session.execute(
        select(Alert.patient_id, func.count())
        .where(among(Alert.patient_id, ids), Alert.acknowledged_at.is_(None))
        .group_by(Alert.patient_id)
    )
    return dict(rows.all())


@dataclass(frozen=True)
class KeyScore:
    """One patient's submitted responses to one instrument, summed up: the latest complete total,
    the one before (None when there is only one) and the baseline (the first; the latest itself
    when there is only one), all None without a complete total; and when the latest incomplete
    response was submitted (None without one)."""

    patient_id: uuid.UUID
    instrument_id: str
    latest: int | None
    latest_at: datetime | None
    previous: int | None
    baseline: int | None
    baseline_at: datetime | None
    complete: int  # how many complete totals there are
    incomplete_at: datetime | None = None


RANKED = 1_000_000
"""Totals are small non-negative sums of item scores (under RANKED): `rank * RANKED + total`
orders the complete totals by rank and still carries the total."""


def key_scores(ids: Collection[uuid.UUID]) -> list[KeyScore]:
    """Per patient and instrument with a submitted response: the baseline, the latest and the
    previous complete totals, and the time of the latest incomplete response. One query with
    one sort and one row per patient and instrument, whatever the history length: a window
    numbers complete and incomplete responses apart, newest first (ties on the time broken by
    id, the same way on every database); the baseline is the complete one numbered last."""
    if not ids:
        return []
    complete = Response.total.is_not(None)
    ranked = (
        select(
            Response.patient_id,
            Response.instrument_id,
            Response.submitted_at,
            Response.total,
            complete.label("complete"),
            func.row_number()
            .over(
                partition_by=(Response.patient_id, Response.instrument_id, complete),
                order_by=(Response.submitted_at.desc(), Response.id.desc()),
            )
            .label("desc_rank"),
        )
        .where(among(Response.patient_id, ids), Response.submitted_at.is_not(None))
        .subquery()
    )
    rank, total, at, done = (
        ranked.c.desc_rank,
        ranked.c.total,
        ranked.c.submitted_at,
        ranked.c.complete,
    )

    def pick(column, *tests):  # the column of the one row of the group that passes the tests
        return func.max(case((and_(*tests), column)))

    rows = db.session.execute(
        select(
            ranked.c.patient_id,
            ranked.c.instrument_id,
            pick(total, done, rank == 1),
            type_coerce(pick(at, done, rank == 1), UTCDateTime()),
            pick(total, done, rank == 2),
            pick(rank * RANKED + total, done),
            type_coerce(func.min(case((done, at))), UTCDateTime()),
            func.count(total),
            type_coerce(pick(at, ~done, rank == 1), UTCDateTime()),
        ).group_by(ranked.c.patient_id, ranked.c.instrument_id)
    ).all()
    return [
        KeyScore(
            pid,
            instrument_id,
            latest,
            latest_at,
            previous,
            None if ranked_baseline is None else ranked_baseline % RANKED,
            baseline_at,
            count,
            incomplete_at,
        )
        for (
            pid,
            instrument_id,
            latest,
            latest_at,
            previous,
            ranked_baseline,
            baseline_at,
            count,
            incomplete_at,
        ) in rows
    ]


@dataclass(frozen=True)
class IncompleteLatest:
    patient_id: uuid.UUID
    instrument_id: str
    submitted_at: datetime
    answers: dict


def incomplete_latest(keys: Collection[KeyScore]) -> list[IncompleteLatest]:
    """Per patient and instrument, the latest submitted response when it has no total: the
    answers of the incomplete responses `key_scores` found at or after the latest complete
    total (one query, none when there is no such response; the latest response at a shared
    time is the one with the highest id, as in `key_scores`)."""
    wanted = {
        (k.patient_id, k.instrument_id, k.incomplete_at)
        for k in keys
        if k.incomplete_at is not None and (k.latest_at is None or k.incomplete_at >= k.latest_at)
    }
    if not wanted:
        return []
    rows = db.session.execute(
        select(
            Response.patient_id,
            Response.instrument_id,
            Response.submitted_at,
            Response.id,
            Response.total,
            Response.answers,
        ).where(
            tuple_(Response.patient_id, Response.instrument_id, Response.submitted_at).in_(
                list(wanted)
            )
        )
    ).all()
    latest: dict[tuple[uuid.UUID, str], tuple] = {}
    for row in rows:  # responses at the very same time: the highest id is the latest
        pair = (row.patient_id, row.instrument_id)
        if pair not in latest or row.id > latest[pair].id:
            latest[pair] = row
    return [
        IncompleteLatest(r.patient_id, r.instrument_id, r.submitted_at, dict(r.answers or {}))
        for r in latest.values()
        if r.total is None
    ]


def day_levels(
    ids: Collection[uuid.UUID], *, since: date
) -> dict[uuid.UUID, dict[date, int | None]]:
    """Per patient, the diary days since `since` with the day's level as the diary defines it:
    the overall rating, else the worst symptom rating; None when neither was given (the day is
    still recorded). Patients without such a day are left out. One query, one row per patient:
    the days come packed in one string ("2026-11-30:4,2026-12-01:"), so three weeks of 2,000
    patients are 2,000 rows to convert rather than 40,000 (ratings are read only for days
    without an overall rating)."""
    if not ids:
        return {}
    worst = (
        select(func.max(SymptomRating.score))
        .where(SymptomRating.entry_id == DiaryEntry.id)
        .scalar_subquery()
    )
    level = func.coalesce(DiaryEntry.overall_symptoms, worst)
    packed = func.aggregate_strings(
        iso_day(DiaryEntry.local_date) + ":" + func.coalesce(cast(level, String), ""), ","
    )
    rows = db.session.execute(
        select(DiaryEntry.patient_id, packed)
        .where(among(DiaryEntry.patient_id, ids), DiaryEntry.local_date >= since)
        .group_by(DiaryEntry.patient_id)
    )
    days: dict[str, date] = {}  # a few dozen distinct days for any number of patients
    found: dict[uuid.UUID, dict[date, int | None]] = {}
    for pid, text in rows:
        levels: dict[date, int | None] = {}
        for item in text.split(","):
            day_text, _, level_text = item.partition(":")
            day = days.get(day_text)
            if day is None:
                day = days[day_text] = date.fromisoformat(day_text)
            levels[day] = int(level_text) if level_text else None
        found[pid] = levels
    return found


class iso_day(FunctionElement):
    """A date column as its ISO text (YYYY-MM-DD) on every database."""

    type = String()
    inherit_cache = True


@compiles(iso_day)
def _iso_day(element, compiler, **kw):  # SQLite stores dates as ISO text already
    return f"CAST({compiler.process(element.clauses, **kw)} AS VARCHAR)"


@compiles(iso_day, "postgresql")
def _iso_day_postgresql(element, compiler, **kw):  # whatever the session's DateStyle
    return f"to_char({compiler.process(element.clauses, **kw)}, 'YYYY-MM-DD')"


def last_entry_days(ids: Collection[uuid.UUID]) -> dict[uuid.UUID, date]:
    if not ids:
        return {}
    rows = db.session.execute(
        select(DiaryEntry.patient_id, func.max(DiaryEntry.local_date))
        .where(among(DiaryEntry.patient_id, ids))
        .group_by(DiaryEntry.patient_id)
    )
    return dict(rows.all())


def overdue_counts(
    ids: Collection[uuid.UUID], *, since: date, now: datetime
) -> dict[uuid.UUID, int]:
    """Questionnaires due since `since` whose window closed unanswered (one query)."""
    if not ids:
        return {}
    rows = db.session.execute(
        select(Occurrence.patient_id, func.count())
        .outerjoin(
            Response,
            and_(Response.occurrence_id == Occurrence.id, Response.submitted_at.is_not(None)),
        )
        .where(
            among(Occurrence.patient_id, ids),
            Occurrence.due_date >= since,
            Occurrence.closes_at <= now,
            Response.id.is_(None),
        )
        .group_by(Occurrence.patient_id)
    )
    return dict(rows.all())


# --- clinic-wide (pathway metrics) ---------------------------------------------------------


def clinic_patients_with_plans(clinic_id: uuid.UUID) -> list[tuple[Patient, datetime | None]]:
    first_plan = (
        select(CarePlanVersion.patient_id, func.min(CarePlanVersion.created_at).label("first_at"))
        .group_by(CarePlanVersion.patient_id)
        .subquery()
    )
    rows = db.session.execute(
        select(Patient, first_plan.c.first_at)
        .outerjoin(first_plan, first_plan.c.patient_id == Patient.id)
        .where(Patient.clinic_id == clinic_id)
    )
    return [(patient, _aware(first) if first else None) for patient, first in rows]


def clinic_visits(clinic_id: uuid.UUID) -> list[tuple[uuid.UUID, datetime, str]]:
    rows = db.session.execute(
        select(Appointment.patient_id, Appointment.starts_at, Appointment.status)
        .join(Patient, Patient.id == Appointment.patient_id)
        .where(Patient.clinic_id == clinic_id)
    )
    return [(pid, _aware(at), str(status)) for pid, at, status in rows]


def closed_windows(clinic_id: uuid.UUID, *, start: datetime, end: datetime) -> list[bool]:
    """For each questionnaire window that closed in [start, end]: was it answered?"""
    rows = db.session.execute(
        select(Response.submitted_at)
        .select_from(Occurrence)
        .join(Patient, Patient.id == Occurrence.patient_id)
        .outerjoin(Response, Response.occurrence_id == Occurrence.id)
        .where(
            Patient.clinic_id == clinic_id,
            Occurrence.closes_at >= start,
            Occurrence.closes_at <= end,
        )
    )
    return [submitted is not None for (submitted,) in rows]


def entry_days(clinic_id: uuid.UUID, *, start: date, end: date) -> dict[uuid.UUID, set[date]]:
    """The days each of the clinic's patients recorded a diary entry in [start, end]."""
    rows = db.session.execute(
        select(DiaryEntry.patient_id, DiaryEntry.local_date)
        .join(Patient, Patient.id == DiaryEntry.patient_id)
        .where(
            Patient.clinic_id == clinic_id,
            DiaryEntry.local_date >= start,
            DiaryEntry.local_date <= end,
        )
    )
    days: dict[uuid.UUID, set[date]] = {}
    for patient_id, local_date in rows:
        days.setdefault(patient_id, set()).add(local_date)
    return days


def alert_times(
    clinic_id: uuid.UUID, *, start: datetime, end: datetime
) -> list[tuple[datetime, datetime | None]]:
    rows = db.session.execute(
        select(Alert.created_at, Alert.acknowledged_at)
        .join(Patient, Patient.id == Alert.patient_id)
        .where(Patient.clinic_id == clinic_id, Alert.created_at >= start, Alert.created_at <= end)
    )
    return [(_aware(raised), _aware(ack) if ack else None) for raised, ack in rows]


def _aware(moment: datetime) -> datetime:
    """Aggregates (max/min) bypass the column type on SQLite: restore UTC awareness."""
    from datetime import UTC

    if isinstance(moment, str):
        moment = datetime.fromisoformat(moment)
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
