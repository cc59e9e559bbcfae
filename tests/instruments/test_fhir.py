"""FHIR export validates against fhir.resources (R4B models: R4-compatible for these resources)."""

from __future__ import annotations

import uuid

import pytest
from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.observation import Observation
from fhir.resources.R4B.questionnaire import Questionnaire
from fhir.resources.R4B.questionnaireresponse import QuestionnaireResponse

from app.auth.models import User
from app.careteam.models import Patient
from app.db import db
from app.instruments import fhir, loader, services
from app.instruments.loader import load_all
from tests.factories import PASSWORD
from tests.instruments.helpers import assign_once


@pytest.mark.parametrize("instrument_id", sorted(load_all()))
def test_every_definition_is_a_valid_questionnaire(instrument_id):
    definition = load_all()[instrument_id]
    resource = Questionnaire.model_validate(fhir.questionnaire(definition))
    assert len(resource.item) == len(definition.items)
    if definition.loinc_panel:
        assert resource.code[0].code == definition.loinc_panel


def _submitted(app, make, instrument_id, values):
    clinician = make.clinician()
    patient = make.patient(team=[clinician])
    with app.test_request_context():
        p = db.session.get(Patient, patient.id)
        _, occ = assign_once(p, db.session.get(User, clinician.id), instrument_id)
        response = services.submit_response(
            occurrence=occ,
            patient=p,
            definition=loader.registry()[instrument_id],
            values=values,
            locale="en",
            submission_key=uuid.uuid4(),
        )
        db.session.commit()
        return patient, clinician, response


def test_response_and_total_observation_validate(app, make):
    values = {str(i): 2 for i in range(1, 10)} | {"difficulty": 1}
    _, _, response = _submitted(app, make, "phq9", values)
    with app.app_context():
        definition = loader.registry()["phq9"]
        qr = QuestionnaireResponse.model_validate(fhir.questionnaire_response(response, definition))
        assert qr.status == "completed" and len(qr.item) == 10
        assert qr.item[8].answer[0].valueCoding.code == "2"
        obs = Observation.model_validate(fhir.observation(response, definition))
        assert obs.code.coding[0].code == "44261-6" and obs.valueInteger == 18
        Bundle.model_validate(fhir.response_bundle(response, definition))


def test_incomplete_response_has_no_observation(app, make):
    _, _, response = _submitted(app, make, "gad7", {"1": 1})
    with app.app_context():
        assert fhir.observation(response, loader.registry()["gad7"]) is None


def test_export_route_returns_a_valid_bundle(app, make, client, auth):
    patient, clinician, response = _submitted(app, make, "pain_nrs", {"1": 6})
    auth.login(clinician.email, PASSWORD)
    body = client.get(f"/patients/{patient.id}/responses/{response.id}/fhir").get_json()
    bundle = Bundle.model_validate(body)
    assert bundle.entry[1].resource.code.coding[0].code == "72514-3"
    assert client.get("/instruments/phq9/fhir").get_json()["resourceType"] == "Questionnaire"
