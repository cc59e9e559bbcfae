"""A caregiver with the questionnaire-scores scope sees scores, never which answer was
critical: a self-harm disclosure is not part of a score."""

from __future__ import annotations

import uuid

from app.auth.models import User
from app.careteam.models import ConsentScope, Patient
from app.db import db
from app.instruments import loader
from app.instruments import services as instruments
from tests.conftest import Auth
from tests.factories import PASSWORD
from tests.instruments.helpers import assign_once


def test_the_critical_marker_is_for_the_care_team_only(app, make):
    clinic = make.clinic()
    clinician = make.clinician(clinic)
    patient = make.patient(clinic, team=[clinician])
    caregiver, _ = make.caregiver(patient, [ConsentScope.VIEW_SCORES])
    with app.test_request_context():
        _, occurrence = assign_once(
            db.session.get(Patient, patient.id), db.session.get(User, clinician.id), "phq9"
        )
        response = instruments.submit_response(
            occurrence=occurrence,
            patient=db.session.get(Patient, patient.id),
            definition=loader.registry()["phq9"],
            values={**{str(i): 1 for i in range(1, 9)}, "9": 2},
            locale="en",
            submission_key=uuid.uuid4(),
        )
        db.session.commit()
    pages = {}
    for who, user in (("clinician", clinician), ("caregiver", caregiver)):
        viewer = app.test_client()
        Auth(viewer).login(user.email, PASSWORD)
        pages[who] = (
            viewer.get(f"/patients/{patient.id}").get_data(as_text=True),
            viewer.get(f"/patients/{patient.id}/responses/{response.id}/fhir").get_json(),
        )
    (staff_page, staff_fhir), (caregiver_page, caregiver_fhir) = (
        pages["clinician"],
        pages["caregiver"],
    )
    assert "10 / 27" in staff_page and "Critical answer" in staff_page
    assert "10 / 27" in caregiver_page and "Critical answer" not in caregiver_page

    def answered(bundle):
        qr = bundle["entry"][0]["resource"]
        return {item["linkId"] for item in qr["item"]}

    assert "9" in answered(staff_fhir)
    assert "9" not in answered(caregiver_fhir) and "1" in answered(caregiver_fhir)
    assert caregiver_fhir["entry"][1]["resource"]["valueInteger"] == 10  # the score is shared
