"""Trend fixtures: the SQL statement counter and bulk history (diary and questionnaires)."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, time, timedelta

from flask import Flask
from sqlalchemy import insert

from app.alerts.models import Alert
from app.auth.models import Role, User
from app.careteam.models import CareTeamMembership, Patient
from app.db import db
from app.diary.models import DiaryEntry, EntryMode
from app.followups.models import Appointment, AppointmentStatus, Modality
from app.instruments.models import Assignment, Occurrence, Response, ScheduleKind
from tests.diary.conftest import bulk_history  # noqa: F401 - a fixture


def assignment_row(
    patient: Patient,
    clinician: User,
    instrument: str,
    assignment_id: uuid.UUID,
    start: date,
    every: int = 14,
) -> dict:
    """An active every-`every`-days assignment row starting on `start`."""
    now = datetime.now(UTC)
    return {
        "id": assignment_id,
        "patient_id": patient.id,
        "instrument_id": instrument,
        "assigned_by_id": clinician.id,
        "schedule_kind": ScheduleKind.EVERY_N_DAYS,
        "start_date": start,
        "schedule_from": start,
        "interval_days": every,
        "weekdays": "",
        "window_days": 3,
        "status": "active",
        "created_at": now,
        "updated_at": now,
    }


def insert_answered(
    app: Flask,
    patient: Patient,
    clinician: User,
    instrument: str,
    rows: list[tuple[date, int | None, dict | None]],
    top: int,
) -> None:
    """One assignment with a submitted response per (due date, total, answers) row; a None
    total is an incomplete response, None answers keep the default."""
    assignment_id = uuid.uuid4()
    occurrences, responses = [], []
    for due, total, answers in rows:
        occurrence, response = answered_occurrence(
            patient, assignment_id, instrument, due, total, top
        )
        if answers is not None:
            response["answers"] = answers
        occurrences.append(occurrence)
        responses.append(response)
    start = min(row[0] for row in rows)
    with app.app_context():
        db.session.execute(
            insert(Assignment),
            [assignment_row(patient, clinician, instrument, assignment_id, start)],
        )
        db.session.execute(insert(Occurrence), occurrences)
        db.session.execute(insert(Response), responses)
        db.session.commit()


def bulk_questionnaires(
    app: Flask, patient: Patient, clinician: User, *, weeks: int, end: date, every: int = 14
) -> int:
    """PHQ-9 and GAD-7 every `every` days for `weeks` weeks before `end`, all answered."""
    assignments, occurrences, responses = [], [], []
    for instrument, top in (("phq9", 27), ("gad7", 21)):
        assignment_id = uuid.uuid4()
        start = end - timedelta(weeks=weeks)
        assignments.append(
            assignment_row(patient, clinician, instrument, assignment_id, start, every)
        )
        for n, due in enumerate(start + timedelta(days=k) for k in range(0, weeks * 7, every)):
            occurrence, response = answered_occurrence(
                patient, assignment_id, instrument, due, (n * 3) % (top + 1), top
            )
            occurrences.append(occurrence)
            responses.append(response)
    with app.app_context():
        db.session.execute(insert(Assignment), assignments)
        db.session.execute(insert(Occurrence), occurrences)
        db.session.execute(insert(Response), responses)
        db.session.commit()
    return len(responses)


def answered_occurrence(
    patient: Patient,
    assignment_id: uuid.UUID,
    instrument: str,
    due: date,
    total: int | None,
    max_total: int,
) -> tuple[dict, dict]:
    """One occurrence row and its submitted response row (answered 10:00 UTC on its due date)."""
    opens = datetime.combine(due, time(0), tzinfo=UTC)
    occurrence_id = uuid.uuid4()
    occurrence = {
        "id": occurrence_id,
        "assignment_id": assignment_id,
        "patient_id": patient.id,
        "instrument_id": instrument,
        "due_date": due,
        "opens_at": opens,
        "closes_at": opens + timedelta(days=3),
    }
    response = {
        "id": uuid.uuid4(),
        "occurrence_id": occurrence_id,
        "patient_id": patient.id,
        "instrument_id": instrument,
        "instrument_version": "1",
        "locale": "en",
        "preferred_locale": "en",
        "answers": {},
        "started_at": opens + timedelta(hours=9),
        "updated_at": opens + timedelta(hours=10),
        "submitted_at": opens + timedelta(hours=10),
        "submission_key": uuid.uuid4(),
        "total": total,
        "max_total": max_total,
        "band": None,
        "subscales": {},
        "critical": False,
    }
    return occurrence, response


def add_visit(
    app: Flask,
    patient: Patient,
    clinician: User,
    starts_at: datetime,
    status: AppointmentStatus = AppointmentStatus.PLANNED,
) -> uuid.UUID:
    with app.app_context():
        appointment = Appointment(
            patient_id=patient.id,
            clinician_id=clinician.id,
            starts_at=starts_at,
            modality=Modality.IN_PERSON,
            status=status,
        )
        db.session.add(appointment)
        db.session.commit()
        return appointment.id


def many_patients(
    app: Flask, *, clinic_id: uuid.UUID, clinician_id: uuid.UUID, count: int, now: datetime
) -> None:
    """`count` patients on the clinician's team, each with a follow-up in the next days, a few
    diary days, a questionnaire answer and an open alert (bulk inserted)."""
    users, patients, members, visits, entries, alerts = [], [], [], [], [], []
    for n in range(count):
        user_id, patient_id = uuid.uuid4(), uuid.uuid4()
        users.append(
            {
                "id": user_id,
                "email": f"crowd-{uuid.uuid4().hex[:12]}@example.org",
                "role": Role.PATIENT,
                "clinic_id": clinic_id,
                "display_name": f"Crowd {n}",
                "locale": "en",
                "timezone": "UTC",
                "session_version": 1,
                "active": True,
                "created_at": now,
            }
        )
        patients.append(
            {
                "id": patient_id,
                "user_id": user_id,
                "clinic_id": clinic_id,
                "readable_locales": [],
                "enrolled_at": now - timedelta(days=60),
            }
        )
        members.append(
            {
                "id": uuid.uuid4(),
                "patient_id": patient_id,
                "member_id": clinician_id,
                "is_lead": True,
                "started_at": now - timedelta(days=60),
            }
        )
        visits.append(
            {
                "id": uuid.uuid4(),
                "patient_id": patient_id,
                "clinician_id": clinician_id,
                "starts_at": now + timedelta(hours=1 + n % 140),
                "modality": Modality.IN_PERSON,
                "status": AppointmentStatus.PLANNED,
                "created_at": now,
            }
        )
        for k in range(1, 1 + n % 10):
            entries.append(
                {
                    "id": uuid.uuid4(),
                    "patient_id": patient_id,
                    "local_date": now.date() - timedelta(days=k),
                    "client_entry_id": uuid.uuid4(),
                    "mode": EntryMode.QUICK,
                    "overall_symptoms": (n + k) % 11,
                    "triggers": [],
                    "custom_triggers": [],
                    "created_by_id": user_id,
                    "created_at": now,
                    "updated_at": now,
                }
            )
        if n % 7 == 0:
            alerts.append(
                {
                    "id": uuid.uuid4(),
                    "patient_id": patient_id,
                    "rule_code": "no_diary",
                    "severity": "normal",
                    "source_type": "test",
                    "source_id": uuid.uuid4(),
                    "created_at": now,
                    "repeat_count": 0,
                }
            )
    with app.app_context():
        for model, rows in (
            (User, users),
            (Patient, patients),
            (CareTeamMembership, members),
            (Appointment, visits),
            (DiaryEntry, entries),
            (Alert, alerts),
        ):
            db.session.execute(insert(model), rows)
        db.session.commit()
