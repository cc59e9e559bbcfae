"""Shared helpers for questionnaire tests: assignments with an occurrence open now."""

from __future__ import annotations

import uuid
from datetime import date

from app.alerts import services as alerts
from app.alerts.models import Severity
from app.auth.models import User
from app.careteam.models import Patient
from app.db import db, utcnow
from app.instruments import loader, services
from app.instruments.models import Assignment, Occurrence, ScheduleKind
from app.instruments.schedules import Schedule


def assign_once(
    patient: Patient, clinician: User, instrument_id: str = "phq9", *, start: date | None = None
) -> tuple[Assignment, Occurrence]:
    """Assign an instrument due today (in the patient's zone); returns it and its occurrence."""
    from sqlalchemy import select

    now = utcnow()
    from app.instruments.schedules import local_today

    start = start or local_today(now, patient.user.timezone)
    assignment = services.assign_instrument(
        patient=patient,
        definition=loader.registry()[instrument_id],
        schedule=Schedule(kind=ScheduleKind.ONCE, start=start),
        window_days=3,
        actor=clinician,
        now=now,
    )
    occurrence = db.session.scalars(
        select(Occurrence).where(Occurrence.assignment_id == assignment.id)
    ).first()
    return assignment, occurrence


def questionnaire_refs(patient: Patient, clinician: User) -> dict[str, str]:
    """Ids for the access matrix: an assignment, an open and a completed occurrence, a
    submitted response and an alert, all belonging to `patient`."""
    assignment, occurrence = assign_once(patient, clinician, "phq9")
    _, finished = assign_once(patient, clinician, "gad7")
    response = services.submit_response(
        occurrence=finished,
        patient=patient,
        definition=loader.registry()["gad7"],
        values={str(i): 1 for i in range(1, 8)},
        locale="en",
        submission_key=uuid.uuid4(),
    )
    alert = alerts.raise_alert(
        patient_id=patient.id,
        rule_code="critical_answer",
        severity=Severity.URGENT,
        source_type="instrument_response",
        source_id=response.id,
    )
    _, screened = assign_once(patient, clinician, "hvs")
    screen = services.submit_response(
        occurrence=screened,
        patient=patient,
        definition=loader.registry()["hvs"],
        values={"1": 2, "2": 0},  # positive for food
        locale="en",
        submission_key=uuid.uuid4(),
    )
    return {
        "screen": str(screen.id),
        "assignment": str(assignment.id),
        "occurrence": str(occurrence.id),
        "done": str(finished.id),
        "response": str(response.id),
        "alert": str(alert.id),
    }
