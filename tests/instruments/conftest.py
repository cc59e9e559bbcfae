"""Questionnaire fixtures: a clinician, their patient, and a PHQ-9 open today."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from app.auth.models import User
from app.careteam.models import Patient
from app.db import db
from tests.instruments.helpers import assign_once


@dataclass
class Setup:
    clinician: User
    patient: Patient
    occurrence_id: str
    assignment_id: str

    @property
    def answer_url(self) -> str:
        return f"/patients/{self.patient.id}/questionnaires/{self.occurrence_id}"


def build(app, make, *, instrument: str = "phq9", locale: str = "en", readable=()) -> Setup:
    clinic = make.clinic()
    clinician = make.clinician(clinic)
    patient = make.patient(clinic, team=[clinician], locale=locale)
    with app.test_request_context():
        p = db.session.get(Patient, patient.id)
        p.readable_locales = list(readable)
        assignment, occurrence = assign_once(p, db.session.get(User, clinician.id), instrument)
        db.session.commit()
        return Setup(clinician, patient, str(occurrence.id), str(assignment.id))


@pytest.fixture
def setup(app, make) -> Setup:
    return build(app, make)
