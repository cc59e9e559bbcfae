"""Reads for trend views: a fixed number of aggregate queries, whatever the history length or
the number of patients. Every function takes already-authorized patients (or their ids)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import (
    func,
    literal,
    null,
    select,
    union_all,
)
from sqlalchemy.orm import aliased

from app.alerts.models import Alert
from app.auth.models import User
from app.careplan import queries as careplan_queries
from app.careplan.content import Goal
from app.careplan.models import CarePlanVersion
from app.careplan.progress import Progress
from app.careteam.models import Patient
from app.db import aware_utc, db
from app.diary import queries as diary_queries
from app.diary.models import CaregiverObservation, DiaryEntry
from app.diary.queries import SymptomDef
from app.followups.models import Appointment
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
    return [(number, aware_utc(at)) for number, at in rows]


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
    return [(patient, aware_utc(first) if first else None) for patient, first in rows]


def clinic_visits(clinic_id: uuid.UUID) -> list[tuple[uuid.UUID, datetime, str]]:
    rows = db.session.execute(
        select(Appointment.patient_id, Appointment.starts_at, Appointment.status)
        .join(Patient, Patient.id == Appointment.patient_id)
        .where(Patient.clinic_id == clinic_id)
    )
    return [(pid, aware_utc(at), str(status)) for pid, at, status in rows]


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
    return [(aware_utc(raised), aware_utc(ack) if ack else None) for raised, ack in rows]
