"""The read operations: the same access policy as the pages (deny as 404, audited), cursor
pagination, and the FHIR $everything Bundle."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from app.api import tokens
from app.api.models import TokenScope
from app.audit import AuditEvent, Outcome
from app.auth.models import User
from app.careteam.models import Patient
from app.db import db
from app.diary import queries as diary_queries

LISTS = (
    "questionnaires/assignments",
    "questionnaires/responses",
    "care-plan/versions",
    "alerts",
    "followups",
)


def bearer(app, user_id, scope=TokenScope.READ) -> dict[str, str]:
    with app.test_request_context():
        _token, secret = tokens.create_token(
            user=db.session.get(User, user_id), name="t", scope=scope, days=1
        )
        db.session.commit()
    return {"Authorization": f"Bearer {secret}"}


@pytest.fixture
def team(app, make):
    clinician = make.clinician()
    patient = make.patient(team=[clinician])
    return clinician, patient


def test_a_clinician_reads_their_patients_and_every_read_is_audited(app, client, team):
    clinician, patient = team
    headers = bearer(app, clinician.id)
    listing = client.get("/api/v1/patients", headers=headers).get_json()
    assert [p["id"] for p in listing["items"]] == [str(patient.id)]
    for path in ("", "/diary", *(f"/{name}" for name in LISTS)):
        response = client.get(f"/api/v1/patients/{patient.id}{path}", headers=headers)
        assert response.status_code == 200, (path, response.get_data(as_text=True))
    with app.app_context():
        actions = set(
            db.session.scalars(
                select(AuditEvent.action).where(
                    AuditEvent.patient_id == patient.id, AuditEvent.outcome == Outcome.ALLOWED
                )
            )
        )
    assert {"patient.view_record", "patient.view_diary", "patient.view_scores"} <= actions
    assert {"patient.view_care_plan", "patient.acknowledge_alert"} <= actions


def test_someone_elses_patient_is_not_found_and_the_denial_audited(app, client, make, team):
    _clinician, patient = team
    stranger = make.clinician()
    headers = bearer(app, stranger.id)
    assert client.get("/api/v1/patients", headers=headers).get_json()["items"] == []
    for path in ("", "/diary", *(f"/{name}" for name in LISTS)):
        response = client.get(f"/api/v1/patients/{patient.id}{path}", headers=headers)
        assert response.status_code == 404, path
        assert response.mimetype == "application/problem+json"
    assert client.get(f"/fhir/Patient/{patient.id}/$everything", headers=headers).status_code == 404
    with app.app_context():
        denied = db.session.scalar(
            select(AuditEvent).where(
                AuditEvent.patient_id == patient.id, AuditEvent.outcome == Outcome.DENIED
            )
        )
    assert denied is not None


def test_a_patient_never_sees_the_alert_list(app, client, team):
    _clinician, patient = team
    headers = bearer(app, patient.user_id)
    assert client.get(f"/api/v1/patients/{patient.id}/alerts", headers=headers).status_code == 404
    assert (
        client.get(f"/api/v1/patients/{patient.id}/followups", headers=headers).status_code == 200
    )


def test_diary_entries_page_with_cursors(app, client, team):
    _clinician, patient = team
    headers = bearer(app, patient.user_id, TokenScope.WRITE)
    with app.app_context():
        today = diary_queries.local_today(db.session.get(Patient, patient.id))
    days = [today - timedelta(days=n) for n in (1, 2, 3)]
    for day in days:
        url = f"/api/v1/patients/{patient.id}/diary/{day.isoformat()}"
        assert client.put(url, json={"mood": 5}, headers=headers).status_code == 201
    url = f"/api/v1/patients/{patient.id}/diary?limit=2"
    first = client.get(url, headers=headers).get_json()
    assert [e["date"] for e in first["items"]] == [d.isoformat() for d in reversed(days[1:])]
    second = client.get(f"{url}&cursor={first['next_cursor']}", headers=headers).get_json()
    assert [e["date"] for e in second["items"]] == [days[0].isoformat()]
    assert second["next_cursor"] is None
    bad = client.get(f"{url}&cursor=%%%", headers=headers)
    assert bad.status_code == 400


def test_fhir_everything_is_the_export_bundle_and_audited(app, client, team):
    _clinician, patient = team
    headers = bearer(app, patient.user_id)
    response = client.get(f"/fhir/Patient/{patient.id}/$everything", headers=headers)
    assert response.status_code == 200 and response.mimetype == "application/fhir+json"
    bundle = response.get_json()
    assert bundle["resourceType"] == "Bundle" and bundle["type"] == "collection"
    types = {entry["resource"]["resourceType"] for entry in bundle["entry"]}
    assert "Patient" in types
    with app.app_context():
        exported = db.session.scalar(
            select(AuditEvent).where(
                AuditEvent.patient_id == patient.id, AuditEvent.action == "patient.export"
            )
        )
    assert exported is not None and exported.object_id == "fhir"


def test_the_openapi_document_is_3_1_and_public(client):
    doc = client.get("/api/v1/openapi.json").get_json()
    assert doc["openapi"].startswith("3.1")
    assert "/api/v1/patients/{patient_id}/diary/{day}" in doc["paths"]
    page = client.get("/api/v1/")
    assert page.status_code == 200 and b"PUT /api/v1/patients" in page.data
