"""Service rules: submission idempotency, windows, pause/resume/end, follow-up schedules, demo."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from app.auth.models import User
from app.careteam.models import Patient
from app.db import db, utcnow
from app.followups.models import Appointment, Modality
from app.instruments import loader, services
from app.instruments.models import AssignmentStatus, Occurrence, Response, ScheduleKind
from app.instruments.schedules import Schedule, local_today
from tests.instruments.helpers import assign_once


@pytest.fixture
def people(app, make, ctx):
    clinician = make.clinician()
    patient = make.patient(team=[clinician])
    return db.session.get(Patient, patient.id), db.session.get(User, clinician.id)


def _submit(patient, occ, key, values=None):
    return services.submit_response(
        occurrence=occ,
        patient=patient,
        definition=loader.registry()["gad7"],
        values=values or {str(i): 2 for i in range(1, 8)},
        locale="en",
        submission_key=key,
    )


def test_submission_is_idempotent_and_final(people):
    patient, clinician = people
    _, occ = assign_once(patient, clinician, "gad7")
    key = uuid.uuid4()
    first = _submit(patient, occ, key)
    assert (first.total, first.band) == (14, "moderate")
    assert _submit(patient, occ, key).id == first.id
    with pytest.raises(services.QuestionnaireError) as error:
        _submit(patient, occ, uuid.uuid4(), {"1": 0})
    assert error.value.code == "submitted"
    assert db.session.scalar(select(func.count()).select_from(Response)) == 1


def test_closed_and_not_yet_open_windows_refuse_answers(people):
    patient, clinician = people
    _, occ = assign_once(patient, clinician, "gad7")
    for when, code in [
        (occ.closes_at, "closed"),
        (occ.opens_at - timedelta(seconds=1), "not_open"),
    ]:
        with pytest.raises(services.QuestionnaireError) as error:
            services.save_answers(
                occurrence=occ,
                patient=patient,
                definition=loader.registry()["gad7"],
                values={"1": 1},
                locale="en",
                now=when,
            )
        assert error.value.code == code
    assert db.session.scalar(select(func.count()).select_from(Response)) == 0


def test_paused_and_ended_assignments_plan_nothing_new(people):
    patient, clinician = people
    today = local_today(utcnow(), patient.user.timezone)
    assignment = services.assign_instrument(
        patient=patient,
        definition=loader.registry()["phq9"],
        schedule=Schedule(kind=ScheduleKind.EVERY_N_DAYS, start=today, interval_days=1),
        window_days=1,
        actor=clinician,
    )
    services.set_assignment_status(
        assignment=assignment, patient=patient, status=AssignmentStatus.PAUSED
    )
    assert services.materialize(patient=patient, now=utcnow() + timedelta(days=3)) == 0
    services.set_assignment_status(
        assignment=assignment,
        patient=patient,
        status=AssignmentStatus.ACTIVE,
        now=utcnow() + timedelta(days=3),
    )
    # Resumed: paused days are not back-filled as missed.
    assert services.materialize(patient=patient, now=utcnow() + timedelta(days=3)) == 1
    services.set_assignment_status(
        assignment=assignment, patient=patient, status=AssignmentStatus.ENDED
    )
    services.set_assignment_status(
        assignment=assignment, patient=patient, status=AssignmentStatus.ACTIVE
    )
    assert assignment.status == AssignmentStatus.ENDED  # ended is final
    assert services.materialize(patient=patient, now=utcnow() + timedelta(days=9)) == 0


def test_days_before_each_follow_up(people):
    patient, clinician = people
    now = utcnow()
    for days in (5, 20):
        db.session.add(
            Appointment(
                patient_id=patient.id,
                clinician_id=clinician.id,
                starts_at=now + timedelta(days=days),
                modality=Modality.TELEHEALTH,
            )
        )
    services.assign_instrument(
        patient=patient,
        definition=loader.registry()["phq4"],
        schedule=Schedule(
            kind=ScheduleKind.BEFORE_FOLLOWUP,
            start=local_today(now, patient.user.timezone),
            days_before=3,
        ),
        window_days=3,
        actor=clinician,
        now=now,
    )
    services.materialize(patient=patient, now=now + timedelta(days=30))
    due = sorted(db.session.scalars(select(Occurrence.due_date)))
    today = local_today(now, patient.user.timezone)
    assert due == [today + timedelta(days=2), today + timedelta(days=17)]


def test_demo_seed_is_idempotent_with_questionnaires(app):
    runner = app.test_cli_runner()
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    with app.app_context():
        counts = [
            db.session.scalar(select(func.count()).select_from(m)) for m in (Occurrence, Response)
        ]
        assert counts[0] > 200 and counts[1] > 150
        # the critical PHQ-9 item-9 answer, and the new patient the registry demo seeds for the
        # agenda rules (app/registry/demo.py)
        assert db.session.scalar(select(func.count()).where(Response.critical.is_(True))) == 2
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    with app.app_context():
        again = [
            db.session.scalar(select(func.count()).select_from(m)) for m in (Occurrence, Response)
        ]
    assert again == counts


def test_clock_job_materializes_every_active_schedule_once(people):
    patient, clinician = people
    today = local_today(utcnow(), patient.user.timezone)
    services.assign_instrument(
        patient=patient,
        definition=loader.registry()["gad7"],
        schedule=Schedule(kind=ScheduleKind.EVERY_N_DAYS, start=today, interval_days=7),
        window_days=3,
        actor=clinician,
    )
    db.session.execute(Occurrence.__table__.delete())
    services.materialize_all()
    services.materialize_all()  # a second run (or a concurrent page view) adds nothing
    assert db.session.scalar(select(func.count()).select_from(Occurrence)) == 1
