"""The queries prompt kinds share: the texted patients of a task table, and the completion
check by target id (a target that is not an id is never done)."""

from __future__ import annotations

from datetime import date, timedelta

from app.careteam.models import Patient
from app.db import db, utcnow
from app.prems.models import PremSurvey
from app.prompts import queries


def _survey(patient: Patient, *, answered: bool) -> PremSurvey:
    # Left out when unanswered: a JSON None would be stored as JSON null, not SQL NULL.
    answer = {"answered_at": utcnow(), "answers": {"1": 4, "2": 4, "3": 4}} if answered else {}
    survey = PremSurvey(
        patient_id=patient.id,
        clinic_id=patient.clinic_id,
        instrument="collaborate",
        invited_at=utcnow(),
        expires_at=utcnow() + timedelta(days=7),
        **answer,
    )
    db.session.add(survey)
    db.session.flush()
    return survey


def test_completed_targets_keeps_the_done_tasks_only(app, make):
    patient = make.patient()
    with app.test_request_context():
        patient = db.session.get(Patient, patient.id)
        done, open_ = _survey(patient, answered=True), _survey(patient, answered=False)
        day = date(2026, 12, 1)
        tasks = [
            (patient.user_id, str(done.id), day),
            (patient.user_id, str(done.id), day + timedelta(days=1)),
            (patient.user_id, str(open_.id), day),
            (patient.user_id, "not-an-id", day),
        ]
        found = queries.completed_targets(tasks, PremSurvey.id, PremSurvey.answered_at.is_not(None))
        assert found == set(tasks[:2])
        assert queries.completed_targets([], PremSurvey.id) == set()


def test_patients_to_text_needs_an_active_consenting_patient(app, make):
    patient = make.patient()  # no phone, no SMS consent
    with app.test_request_context():
        _survey(db.session.get(Patient, patient.id), answered=False)
        rows = db.session.execute(queries.patients_to_text(PremSurvey)).all()
        assert [row for row in rows if row[0].patient_id == patient.id] == []
