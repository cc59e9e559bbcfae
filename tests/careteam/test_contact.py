"""Staff who must reach the patient see phone (as they dial it, tap to call), email,
preferred language and the patient's local time: on the alert in /alerts, the record page and
the pre-visit summary. Only the care team and the clinic's coordinators; every showing is
audited, without the number."""

from __future__ import annotations

import uuid
from datetime import timedelta

from sqlalchemy import select

from app.alerts import services as alerts
from app.alerts.models import Severity
from app.audit import AuditEvent
from app.careteam.models import BreakGlassGrant, ConsentScope
from app.db import db, utcnow
from tests.conftest import Auth
from tests.factories import PASSWORD

PHONE = "+12025550123"
TEL = f'href="tel:{PHONE}"'


def _people(app, make):
    clinic = make.clinic()
    lead = make.clinician(clinic, timezone="America/New_York")
    abroad = make.clinician(clinic, timezone="Europe/Berlin")
    coordinator = make.coordinator(clinic, locale="es", timezone="America/Chicago")
    patient = make.patient(
        clinic,
        team=[lead, abroad],
        phone=PHONE,
        locale="es",
        timezone="America/Mexico_City",
        email="lucia.contact@example.org",
    )
    caregiver, _ = make.caregiver(patient, list(ConsentScope))
    admin = make.admin()
    with app.test_request_context():
        db.session.add(
            BreakGlassGrant(
                admin_id=admin.id,
                patient_id=patient.id,
                reason="test emergency",
                expires_at=utcnow() + timedelta(hours=1),
            )
        )
        alerts.raise_alert(
            patient_id=patient.id,
            rule_code="critical_answer",
            severity=Severity.URGENT,
            source_type="test",
            source_id=uuid.uuid4(),
        )
        db.session.commit()
    return patient, lead, abroad, coordinator, caregiver, admin


def _get(app, user, url) -> str:
    viewer = app.test_client()
    Auth(viewer).login(user.email, PASSWORD)
    response = viewer.get(url)
    assert response.status_code == 200, url
    return response.get_data(as_text=True)


def test_the_care_team_and_coordinators_see_how_to_reach_the_patient(app, make):
    patient, lead, abroad, coordinator, *_ = _people(app, make)
    record, summary = f"/patients/{patient.id}", f"/patients/{patient.id}/summary"
    for url in ("/alerts", record, summary):
        page = _get(app, lead, url)
        assert TEL in page and "(202) 555-0123" in page, url  # national format in the US
        assert 'href="mailto:lucia.contact@example.org"' in page, url
        assert "Spanish" in page and "Mexico (Mexico City)" in page, url
        assert "Patient&#39;s local time" in page or "Patient's local time" in page, url
    page = _get(app, abroad, record)  # a clinician in Germany dials the international number
    assert TEL in page and "+1 202-555-0123" in page and "(202) 555-0123" not in page
    page = _get(app, coordinator, "/alerts")  # in the coordinator's language
    assert TEL in page and "(202) 555-0123" in page and "Español" in page


def test_caregivers_and_break_glass_admins_do_not_see_it(app, make):
    patient, *_, caregiver, admin = _people(app, make)
    for user in (caregiver, admin):
        page = _get(app, user, f"/patients/{patient.id}")
        assert "tel:" not in page and "555-0123" not in page and "mailto:" not in page
    page = _get(app, admin, f"/patients/{patient.id}/summary")
    assert "tel:" not in page and "555-0123" not in page


def test_every_showing_is_audited_without_the_number(app, make):
    patient, lead, *_, caregiver, _admin = _people(app, make)
    _get(app, lead, f"/patients/{patient.id}")
    _get(app, lead, "/alerts")
    _get(app, caregiver, f"/patients/{patient.id}")
    with app.app_context():
        events = db.session.scalars(
            select(AuditEvent).where(AuditEvent.action == "patient.contact_view")
        ).all()
        assert [(e.actor_id, e.patient_id) for e in events] == [(lead.id, patient.id)] * 2
        everything = db.session.scalars(select(AuditEvent)).all()
        # The number in any of its spellings (a bare "555" would also match a random UUID).
        spellings = ("2025550123", "5550123", "555-0123", "555 0123")
        recorded = [f"{e.object_type} {e.object_id}" for e in everything]
        assert not any(number in text for number in spellings for text in recorded)
    assert "Vio los datos de contacto" in _get(  # the patient reads Spanish
        app, patient.user, f"/patients/{patient.id}/access-log"
    )
