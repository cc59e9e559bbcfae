"""Administrators see no patient data except through an explicit, logged, time-limited break-glass."""

from __future__ import annotations

from datetime import timedelta

import time_machine
from sqlalchemy import func, select

from app.audit import AuditEvent
from app.careteam.models import BreakGlassGrant
from app.db import db, utcnow
from tests.factories import PASSWORD


def test_admin_home_lists_staff_not_patients(make, client, auth):
    clinic = make.clinic()
    make.clinician(clinic, name="Staff Person")
    make.patient(clinic, name="Hidden Patient")
    auth.login(make.admin().email, PASSWORD)
    page = client.get("/admin/").get_data(as_text=True)
    assert "Staff Person" in page
    assert "Hidden Patient" not in page


def test_break_glass_opens_the_record_for_an_hour_and_is_audited(app, make, client, auth):
    patient = make.patient(name="Emergency Patient")
    admin = make.admin()
    auth.login(admin.email, PASSWORD)
    assert client.get(f"/patients/{patient.id}").status_code == 404
    response = auth.post(
        "/admin/break-glass",
        {"patient_ref": str(patient.id), "reason": "Clinician unreachable during a safety concern"},
        token_from="/admin/",
    )
    assert response.status_code == 302
    assert response.headers["Location"] == f"/patients/{patient.id}"
    assert "Emergency Patient" in client.get(f"/patients/{patient.id}").get_data(as_text=True)
    # Read-only: the access log stays closed.
    assert client.get(f"/patients/{patient.id}/access-log").status_code == 404
    with app.app_context():
        actions = set(
            db.session.scalars(select(AuditEvent.action).where(AuditEvent.actor_id == admin.id))
        )
    assert "patient.break_glass" in actions
    with time_machine.travel(utcnow() + timedelta(hours=1, minutes=1)):
        fresh = app.test_client()
        from tests.conftest import Auth

        Auth(fresh).login(admin.email, PASSWORD)
        assert fresh.get(f"/patients/{patient.id}").status_code == 404


def test_break_glass_bad_input_is_explained_and_writes_nothing(app, make, client, auth):
    patient = make.patient()
    auth.login(make.admin().email, PASSWORD)
    cases = [
        (
            {"patient_ref": "", "reason": "A sufficiently long reason"},
            "Enter the patient reference.",
        ),
        (
            {"patient_ref": "123", "reason": "A sufficiently long reason"},
            "That is not a valid patient reference.",
        ),
        (
            {
                "patient_ref": "00000000-0000-0000-0000-000000000000",
                "reason": "A sufficiently long reason",
            },
            "No patient has that reference.",
        ),
        ({"patient_ref": str(patient.id), "reason": "short"}, "Use between 10 and 500 characters."),
        (
            {"patient_ref": str(patient.id), "reason": "x" * 600},
            "Use between 10 and 500 characters.",
        ),
    ]
    for data, message in cases:
        response = auth.post("/admin/break-glass", data, token_from="/admin/")
        assert response.status_code == 400
        assert message in response.get_data(as_text=True), data
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(BreakGlassGrant)) == 0
