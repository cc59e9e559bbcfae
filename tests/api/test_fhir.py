"""FHIR `Patient/$everything`: the patient's own export Bundle; for the care team (clinician on
the team, coordinator of the clinic) the part the pages show them; 404 for everyone else."""

from __future__ import annotations

import ast
import re
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from app.access import Action
from app.api import fhir
from app.api.models import TokenScope
from app.audit import AuditEvent, Outcome
from app.careteam.models import BreakGlassGrant, ConsentScope, Patient
from app.careteam.services import remove_from_team
from app.db import db, utcnow
from app.prems.models import PremSurvey
from tests.api.test_resources import bearer

APP = Path(__file__).resolve().parents[2] / "app"


@pytest.fixture
def world(app, make):
    clinic = make.clinic()
    clinician = make.clinician(clinic)
    patient = make.patient(clinic, team=[clinician])
    with app.test_request_context():
        survey = PremSurvey(
            patient_id=patient.id,
            clinic_id=patient.clinic_id,
            instrument="collaborate",
            invited_at=utcnow(),
            expires_at=utcnow() + timedelta(days=7),
            answered_at=utcnow(),
            answers={"1": 4, "2": 4, "3": 3},
        )
        db.session.add(survey)
        db.session.commit()
    return {
        "clinic": clinic,
        "clinician": clinician,
        "patient": patient,
        "coordinator": make.coordinator(clinic),
    }


def _url(patient) -> str:
    return f"/fhir/Patient/{patient.id}/$everything"


def _types(response) -> set[str]:
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.mimetype == "application/fhir+json"
    bundle = response.get_json()
    assert bundle["resourceType"] == "Bundle" and bundle["type"] == "collection"
    return {entry["resource"]["resourceType"] for entry in bundle["entry"]}


def _actions(app, patient, outcome=Outcome.ALLOWED) -> list[str]:
    with app.app_context():
        return list(
            db.session.scalars(
                select(AuditEvent.action).where(
                    AuditEvent.patient_id == patient.id, AuditEvent.outcome == outcome
                )
            )
        )


def test_the_patient_gets_their_whole_export(app, client, world):
    patient = world["patient"]
    types = _types(client.get(_url(patient), headers=bearer(app, patient.user_id)))
    assert {"Patient", "AuditEvent", "QuestionnaireResponse"} <= types  # the survey too
    assert "patient.export" in _actions(app, patient)
    assert "api.fhir_read" not in _actions(app, patient)


def test_a_clinician_on_the_team_gets_what_the_record_shows(app, client, world):
    patient = world["patient"]
    response = client.get(_url(patient), headers=bearer(app, world["clinician"].id))
    types = _types(response)
    assert "Patient" in types
    # Neither the access log (coordinators and the patient) nor the experience survey (only
    # ever reported in aggregate) is the clinician's to read.
    assert "AuditEvent" not in types and "QuestionnaireResponse" not in types
    actions = _actions(app, patient)
    assert {"patient.view_record", "api.fhir_read"} <= set(actions)
    assert "patient.export" not in actions


def test_what_the_clinician_may_not_see_is_not_even_read(app, client, world, count_queries):
    """The exporters of sections the reader may not see (the texts Heed sent, the experience
    survey) or that carry no FHIR resources (second factors, one-time links) are not run."""
    with count_queries() as statements:
        response = client.get(_url(world["patient"]), headers=bearer(app, world["clinician"].id))
        assert response.status_code == 200
    sql = " ".join(statements).lower()
    assert "from diary_entries" in sql  # the record's sections were read
    for table in ("sms_outbox", "prem_surveys", "mfa_totp", "one_time_tokens"):
        assert f"from {table}" not in sql, table


def test_the_clinics_coordinator_gets_the_access_log_but_not_the_survey(app, client, world):
    patient = world["patient"]
    types = _types(client.get(_url(patient), headers=bearer(app, world["coordinator"].id)))
    assert "AuditEvent" in types and "QuestionnaireResponse" not in types


def test_the_signed_in_session_works_too(app, client, auth, world):
    auth.login(world["clinician"].email)
    assert "Patient" in _types(client.get(_url(world["patient"])))


def test_a_read_token_is_enough_and_nothing_but_get_is_served(app, client, world):
    headers = bearer(app, world["clinician"].id, TokenScope.READ)
    assert client.get(_url(world["patient"]), headers=headers).status_code == 200
    assert client.post(_url(world["patient"]), headers=headers).status_code == 405


@pytest.mark.parametrize(
    "who", ["other_clinician", "other_coordinator", "ended", "caregiver", "admin", "nobody"]
)
def test_everyone_else_is_answered_404_and_audited(app, client, auth, make, world, who):
    patient = world["patient"]
    if who == "other_clinician":
        user = make.clinician()
    elif who == "other_coordinator":
        user = make.coordinator(make.clinic())
    elif who == "ended":
        user = world["clinician"]
        with app.test_request_context():
            remove_from_team(
                patient=db.session.get(Patient, patient.id),
                member=db.session.get(type(user), user.id),
            )
            db.session.commit()
    elif who == "caregiver":
        user, _link = make.caregiver(patient, scopes=list(ConsentScope))
    elif who == "admin":
        user = make.admin()
        with app.test_request_context():  # even with break-glass: never by token
            db.session.add(
                BreakGlassGrant(
                    admin_id=user.id,
                    patient_id=patient.id,
                    reason="test",
                    expires_at=utcnow() + timedelta(hours=1),
                )
            )
            db.session.commit()
    if who == "nobody":
        response = client.get(_url(patient))
        assert response.status_code == 401
        return
    if who == "admin":  # an admin holds no token; their signed-in session is refused too
        auth.login(user.email)
        response = client.get(_url(patient))
    else:
        response = client.get(_url(patient), headers=bearer(app, user.id))
    assert response.status_code == 404
    assert response.mimetype == "application/problem+json"
    assert _actions(app, patient, Outcome.DENIED)
    assert "api.fhir_read" not in _actions(app, patient)


def _sections_with_resources() -> set[str]:
    """Every export section some module builds with FHIR resources (read from the source)."""
    found = set()
    for path in APP.rglob("*.py"):
        source = path.read_text()
        if not re.search(r"from app\.datarights\.registry import[^\n]*\bSection\b", source):
            continue  # page sections (app.web.sections) share the name
        for node in ast.walk(ast.parse(source)):
            if not (isinstance(node, ast.Call) and getattr(node.func, "id", None) == "Section"):
                continue
            with_resources = len(node.args) >= 3 or any(
                keyword.arg == "fhir_resources" for keyword in node.keywords
            )
            if with_resources and node.args and isinstance(node.args[0], ast.Constant):
                found.add(node.args[0].value)
    return found


def test_every_section_with_fhir_resources_is_decided():
    """A new export section with FHIR resources must say which action its page needs (until
    it does, it is left out of the care team's Bundle)."""
    assert _sections_with_resources() == set(fhir.SECTION_ACTIONS)
    assert fhir.SECTION_ACTIONS["experience_surveys"] == Action.EXPORT_DATA
