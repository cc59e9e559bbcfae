"""The audit log is append-only, carries no PHI, and is visible to the patient and the coordinator."""

from __future__ import annotations

import pytest
from sqlalchemy import select, text, update
from sqlalchemy.exc import DBAPIError

from app.audit import AuditEvent
from app.db import db
from tests import dbutil
from tests.conftest import Auth
from tests.factories import PASSWORD


def test_events_cannot_be_changed_or_deleted(app, make, client, auth):
    clinician = make.clinician()
    patient = make.patient(team=[clinician])
    auth.login(clinician.email, PASSWORD)
    client.get(f"/patients/{patient.id}")
    with app.app_context():
        event = db.session.scalars(select(AuditEvent)).first()
        event.action = "tampered"
        with pytest.raises(PermissionError):
            db.session.flush()
        db.session.rollback()
        # Even raw SQL is refused by the database itself.
        for statement in (
            update(AuditEvent).values(action="tampered"),
            text("DELETE FROM audit_events"),
        ):
            with pytest.raises(DBAPIError), db.session.begin_nested():
                db.session.execute(statement)


@pytest.mark.postgres
def test_truncate_is_refused_by_the_database(app, make, client, auth):
    if dbutil.backend() != "postgresql":
        pytest.skip("SQLite has no TRUNCATE; its DELETE is refused by the test above")
    clinician = make.clinician()
    patient = make.patient(team=[clinician])
    auth.login(clinician.email, PASSWORD)
    client.get(f"/patients/{patient.id}")
    with app.app_context():
        before = db.session.scalar(text("SELECT count(*) FROM audit_events"))
        with pytest.raises(DBAPIError, match="append-only"), db.session.begin_nested():
            db.session.execute(text("TRUNCATE audit_events"))
        assert before > 0
        assert db.session.scalar(text("SELECT count(*) FROM audit_events")) == before


def test_events_record_who_what_when_where_without_phi(app, make, client, auth):
    clinician = make.clinician()
    patient = make.patient(team=[clinician], name="Unmistakable Name", phone="+12025550177")
    auth.login(clinician.email, PASSWORD)
    client.get(f"/patients/{patient.id}", environ_base={"REMOTE_ADDR": "198.51.100.7"})
    with app.app_context():
        event = db.session.scalars(  # the record page also audits its diary summary
            select(AuditEvent).where(
                AuditEvent.actor_id == clinician.id, AuditEvent.action == "patient.view_record"
            )
        ).one()
    assert event.action == "patient.view_record"
    assert event.actor_role == "clinician"
    assert event.patient_id == patient.id
    assert event.ip == "198.51.100.7"
    assert event.occurred_at.tzinfo is not None
    flattened = " ".join(str(getattr(event, c.key)) for c in AuditEvent.__table__.columns)
    for phi in ("Unmistakable", "5550177", patient.user.email):
        assert phi not in flattened


def test_patient_sees_who_viewed_their_record(app, make, client):
    clinician = make.clinician(name="Dr. Visible Viewer")
    patient = make.patient(team=[clinician])
    clinician_client = app.test_client()
    Auth(clinician_client).login(clinician.email, PASSWORD)
    clinician_client.get(f"/patients/{patient.id}")

    Auth(client).login(patient.user.email, PASSWORD)
    client.get(f"/patients/{patient.id}")  # the patient's own views are not listed
    page = client.get(f"/patients/{patient.id}/access-log").get_data(as_text=True)
    assert "Dr. Visible Viewer" in page
    assert "Opened the record" in page
    assert page.count("Opened the record") == 1


def test_coordinator_sees_the_access_log_including_denials(app, make, client):
    clinic = make.clinic()
    stranger = make.clinician(clinic, name="Curious Stranger")
    patient = make.patient(clinic)
    stranger_client = app.test_client()
    Auth(stranger_client).login(stranger.email, PASSWORD)
    assert stranger_client.get(f"/patients/{patient.id}").status_code == 404

    Auth(client).login(make.coordinator(clinic).email, PASSWORD)
    page = client.get(f"/patients/{patient.id}/access-log").get_data(as_text=True)
    assert "Curious Stranger" in page
    assert "Denied" in page


def test_pages_with_patient_data_are_not_cached(make, client, auth):
    clinician = make.clinician()
    patient = make.patient(team=[clinician])
    auth.login(clinician.email, PASSWORD)
    response = client.get(f"/patients/{patient.id}")
    assert response.headers["Cache-Control"] == "no-store"


@pytest.mark.parametrize(
    ("locale", "label"),
    [
        ("en", "Recorded whether the period question applies"),
        ("de", "Festgehalten, ob die Frage zur Menstruation zutrifft"),
    ],
)
def test_access_log_labels_every_action_a_clinician_took(app, make, client, locale, label):
    """instruments.period_item used to show as a raw code in the patient's access log."""
    clinician = make.clinician(name="Dr. Period Item")
    patient = make.patient(team=[clinician], locale=locale)
    clinician_client = app.test_client()
    clinician_auth = Auth(clinician_client)
    clinician_auth.login(clinician.email, PASSWORD)
    response = clinician_auth.post(
        f"/patients/{patient.id}/questionnaires/period-item",
        {"applies": "applies"},
        token_from=f"/patients/{patient.id}/questionnaires/assign",
    )
    assert response.status_code == 302

    Auth(client).login(patient.user.email, PASSWORD)
    page = client.get(f"/patients/{patient.id}/access-log").get_data(as_text=True)
    assert label in page
    assert "instruments.period_item" not in page
