"""Writes: assignments, occurrence materialization, answers, submission, caregiver check-ins.

Services take keyword-only typed arguments, flush, and leave the commit to the caller.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import delete, select

from app import audit
from app.auth.models import User
from app.careteam.models import Patient
from app.db import db, insert_ignoring_duplicates, utcnow
from app.followups.models import Appointment, AppointmentStatus
from app.instruments import scoring
from app.instruments.alerting import raise_critical, raise_worsening
from app.instruments.loader import Definition
from app.instruments.models import (
    Assignment,
    AssignmentStatus,
    CaregiverCheckin,
    Occurrence,
    Response,
    SocialNeedReview,
)
from app.instruments.schedules import Schedule, due_dates, local_today, window


class QuestionnaireError(Exception):
    """A state the patient sees explained: closed, not_open, submitted, unavailable, invalid."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def set_period_item(*, patient: Patient, applies: bool | None) -> bool:
    """Record whether the PHQ-15 period item applies (None: not recorded, so it is asked).

    Applies to questionnaires opened from now on; submitted responses keep their score.
    Returns whether anything changed (an unchanged value records no audit event).
    """
    if patient.menstruates is applies:
        return False
    patient.menstruates = applies
    db.session.flush()
    audit.record("instruments.period_item", patient_id=patient.id, object_type="patient")
    return True


def assign_instrument(
    *,
    patient: Patient,
    definition: Definition,
    schedule: Schedule,
    window_days: int,
    actor: User,
    now: datetime | None = None,
) -> Assignment:
    now = now or utcnow()
    today = local_today(now, patient.user.timezone)
    assignment = Assignment(
        patient_id=patient.id,
        instrument_id=definition.id,
        assigned_by_id=actor.id,
        window_days=window_days,
        created_at=now,
        updated_at=now,
    )
    _apply_schedule(assignment, schedule, schedule_from=max(schedule.start, today))
    db.session.add(assignment)
    db.session.flush()
    audit.record(
        "instruments.assign",
        patient_id=patient.id,
        object_type="assignment",
        object_id=str(assignment.id),
    )
    materialize(patient=patient, now=now)
    return assignment


def _apply_schedule(assignment: Assignment, schedule: Schedule, *, schedule_from) -> None:
    assignment.schedule_kind = schedule.kind
    assignment.start_date = schedule.start
    assignment.schedule_from = schedule_from
    assignment.interval_days = schedule.interval_days
    assignment.weekdays = ",".join(str(d) for d in sorted(schedule.weekdays))
    assignment.days_before = schedule.days_before


def update_assignment(
    *,
    assignment: Assignment,
    patient: Patient,
    schedule: Schedule,
    window_days: int,
    now: datetime | None = None,
) -> Assignment:
    """Change the schedule from today on: past and started occurrences are kept as they are."""
    now = now or utcnow()
    today = local_today(now, patient.user.timezone)
    _drop_future_unstarted(assignment, after=today)
    _apply_schedule(assignment, schedule, schedule_from=max(schedule.start, today))
    assignment.window_days = window_days
    assignment.updated_at = now
    db.session.flush()
    audit.record(
        "instruments.assignment_update",
        patient_id=patient.id,
        object_type="assignment",
        object_id=str(assignment.id),
    )
    materialize(patient=patient, now=now)
    return assignment


def _drop_future_unstarted(assignment: Assignment, *, after) -> None:
    started = select(Response.occurrence_id)
    db.session.execute(
        delete(Occurrence).where(
            Occurrence.assignment_id == assignment.id,
            Occurrence.due_date > after,
            Occurrence.id.not_in(started),
        )
    )


def set_assignment_status(
    *,
    assignment: Assignment,
    patient: Patient,
    status: AssignmentStatus,
    now: datetime | None = None,
) -> Assignment:
    """Pause, resume or end. Resuming starts from today: paused days are not back-filled."""
    now = now or utcnow()
    if assignment.status == AssignmentStatus.ENDED or assignment.status == status:
        return assignment
    if status == AssignmentStatus.ACTIVE:
        assignment.schedule_from = max(
            assignment.schedule_from, local_today(now, patient.user.timezone)
        )
    assignment.status = status
    assignment.updated_at = now
    db.session.flush()
    audit.record(
        f"instruments.assignment_{status}",
        patient_id=patient.id,
        object_type="assignment",
        object_id=str(assignment.id),
    )
    return assignment


def materialize(*, patient: Patient, now: datetime | None = None) -> int:
    """Insert the occurrences due up to the patient's local today that do not exist yet."""
    now = now or utcnow()
    tz = patient.user.timezone
    today = local_today(now, tz)
    assignments = list(
        db.session.scalars(
            select(Assignment).where(
                Assignment.patient_id == patient.id, Assignment.status == AssignmentStatus.ACTIVE
            )
        )
    )
    if not assignments:
        return 0
    existing = {
        (row.assignment_id, row.due_date)
        for row in db.session.execute(
            select(Occurrence.assignment_id, Occurrence.due_date).where(
                Occurrence.patient_id == patient.id
            )
        )
    }
    followups = [
        local_today(starts, tz)
        for starts in db.session.scalars(
            select(Appointment.starts_at).where(
                Appointment.patient_id == patient.id,
                Appointment.status == AppointmentStatus.PLANNED,
            )
        )
    ]
    rows = []
    for a in assignments:
        schedule = schedule_of(a)
        for due in due_dates(schedule, since=a.schedule_from, until=today, followups=followups):
            if (a.id, due) in existing:
                continue
            opens, closes = window(due, tz=tz, window_days=a.window_days)
            rows.append(
                {
                    "id": uuid.uuid4(),
                    "assignment_id": a.id,
                    "patient_id": patient.id,
                    "instrument_id": a.instrument_id,
                    "due_date": due,
                    "opens_at": opens,
                    "closes_at": closes,
                }
            )
    # Another request or the clock may materialize the same occurrence concurrently.
    insert_ignoring_duplicates(db.session, Occurrence, rows)
    return len(rows)


def materialize_all(*, now: datetime | None = None) -> int:
    """Clock job: materialize due occurrences for every patient with an active schedule."""
    patients = db.session.scalars(
        select(Patient).where(
            Patient.id.in_(
                select(Assignment.patient_id).where(Assignment.status == AssignmentStatus.ACTIVE)
            )
        )
    )
    return sum(materialize(patient=patient, now=now) for patient in patients)


def schedule_of(assignment: Assignment) -> Schedule:
    return Schedule(
        kind=assignment.schedule_kind,
        start=assignment.start_date,
        interval_days=assignment.interval_days,
        weekdays=frozenset(int(d) for d in assignment.weekdays.split(",") if d),
        days_before=assignment.days_before,
    )


def _check_window(occurrence: Occurrence, now: datetime) -> None:
    if now < occurrence.opens_at:
        raise QuestionnaireError("not_open")
    if now >= occurrence.closes_at:
        raise QuestionnaireError("closed")


def save_answers(
    *,
    occurrence: Occurrence,
    patient: Patient,
    definition: Definition,
    values: dict[str, int],
    locale: str,
    now: datetime | None = None,
) -> Response:
    """Merge valid answers into the draft (creating it). A critical answer raises an alert now."""
    now = now or utcnow()
    _check_window(occurrence, now)
    response = db.session.scalar(select(Response).where(Response.occurrence_id == occurrence.id))
    if response is not None and response.submitted_at is not None:
        raise QuestionnaireError("submitted")
    if response is None:
        response = Response(
            occurrence_id=occurrence.id,
            patient_id=patient.id,
            instrument_id=definition.id,
            instrument_version=definition.version,
            locale=locale,
            language_tag=definition.translations[locale].language_tag,
            preferred_locale=patient.user.locale,
            answers={},
            started_at=now,
        )
        db.session.add(response)
    response.answers = {**response.answers, **{k: int(v) for k, v in values.items()}}
    response.revision = (response.revision or 0) + 1
    response.updated_at = now
    db.session.flush()
    audit.record(
        "instruments.response_save",
        patient_id=patient.id,
        object_type="response",
        object_id=str(response.id),
    )
    raise_critical(response, definition, now)
    return response


def submit_response(
    *,
    occurrence: Occurrence,
    patient: Patient,
    definition: Definition,
    values: dict[str, int],
    locale: str,
    submission_key: uuid.UUID,
    now: datetime | None = None,
) -> Response:
    """Save the last answers, score and freeze. Repeating the same submission changes nothing."""
    now = now or utcnow()
    done = db.session.scalar(select(Response).where(Response.occurrence_id == occurrence.id))
    if done is not None and done.submitted_at is not None:
        if done.submission_key == submission_key:
            return done
        raise QuestionnaireError("submitted")
    response = save_answers(
        occurrence=occurrence,
        patient=patient,
        definition=definition,
        values=values,
        locale=locale,
        now=now,
    )
    result = scoring.score(definition, response.answers, menstruates=patient.menstruates)
    response.total, response.max_total, response.band = result.total, result.max_total, result.band
    response.subscales = {
        s.code: {"score": s.score, "positive": s.positive} for s in result.subscales
    }
    response.submitted_at, response.submission_key = now, submission_key
    db.session.flush()
    audit.record(
        "instruments.response_submit",
        patient_id=patient.id,
        object_type="response",
        object_id=str(response.id),
    )
    raise_worsening(patient, definition, response, now)
    return response


def record_checkin(
    *,
    patient: Patient,
    caregiver: User,
    observed_function: int,
    observed_activity: int,
    own_strain: int,
    submission_key: uuid.UUID,
    now: datetime | None = None,
) -> CaregiverCheckin:
    """A caregiver's non-validated check-in; the same submission key never writes twice."""
    existing = db.session.scalar(
        select(CaregiverCheckin).where(CaregiverCheckin.submission_key == submission_key)
    )
    if existing is not None:
        return existing
    checkin = CaregiverCheckin(
        patient_id=patient.id,
        caregiver_id=caregiver.id,
        observed_function=observed_function,
        observed_activity=observed_activity,
        own_strain=own_strain,
        submission_key=submission_key,
        submitted_at=now or utcnow(),
    )
    db.session.add(checkin)
    db.session.flush()
    audit.record(
        "instruments.checkin_submit",
        patient_id=patient.id,
        object_type="caregiver_checkin",
        object_id=str(checkin.id),
    )
    return checkin


def review_social_need(
    *,
    patient: Patient,
    response: Response,
    domain: str,
    confirmed: bool,
    actor: User,
    now: datetime | None = None,
) -> SocialNeedReview:
    """A clinician records that a screened need was confirmed with the patient, or not. A
    later review of the same screen and domain replaces the earlier one (both audited)."""
    review = db.session.scalar(
        select(SocialNeedReview).where(
            SocialNeedReview.response_id == response.id, SocialNeedReview.domain == domain
        )
    )
    if review is None:
        review = SocialNeedReview(patient_id=patient.id, response_id=response.id, domain=domain)
        db.session.add(review)
    review.confirmed, review.reviewed_by_id, review.reviewed_at = (
        confirmed,
        actor.id,
        now or utcnow(),
    )
    db.session.flush()
    audit.record(
        "instruments.social_need_review",
        patient_id=patient.id,
        object_type="social_need_review",
        object_id=str(review.id),
    )
    return review
