"""Message log (bodies only for those allowed, audited) and the development phone simulator."""

from __future__ import annotations

from datetime import date, time
from zoneinfo import ZoneInfo

from sqlalchemy import func, select

from app.audit import AuditEvent
from app.auth.models import Role, User
from app.careteam.models import SmsConsent
from app.db import db
from app.prompts.planning import local_instant
from app.prompts.services import plan_due_prompts
from app.sms.dispatch import dispatch_due
from app.sms.gateway import ConsoleGateway
from app.sms.models import ConsoleMessage
from tests.sms.fixtures import consenting

NY = ZoneInfo("America/New_York")


def _patient_with_message(app, make):
    clinic = make.clinic()
    clinician = make.clinician(clinic)
    coordinator = make.coordinator(clinic)
    patient = consenting(
        make,
        app,
        phone="+12025550190",
        clinic=clinic,
        team=[clinician],
        timezone="America/New_York",
    )
    with app.app_context():
        plan_due_prompts(now=local_instant(date(2026, 6, 1), time(19, 25), NY))
        db.session.commit()
        dispatch_due(
            now=local_instant(date(2026, 6, 1), time(19, 30), NY), gateway=ConsoleGateway()
        )
    return patient, clinician, coordinator


def test_coordinator_sees_bodies_clinician_sees_status_only(app, make, client, auth):
    patient, clinician, coordinator = _patient_with_message(app, make)
    auth.login(coordinator.email)
    page = client.get(f"/patients/{patient.id}/messages").get_data(as_text=True)
    assert "Diary reminder" in page and "Delivered" in page
    assert "time for today&#39;s diary. [link]" in page
    assert "/m/" not in page  # never the live link
    auth.logout()
    auth.login(clinician.email)
    page = client.get(f"/patients/{patient.id}/messages").get_data(as_text=True)
    assert "Diary reminder" in page and "Delivered" in page
    assert "today&#39;s diary" not in page
    with app.app_context():
        actions = db.session.scalars(
            select(AuditEvent.action).where(
                AuditEvent.patient_id == patient.id, AuditEvent.actor_id == clinician.id
            )
        ).all()
    assert "patient.view_messages" in actions


def test_opt_out_is_visible_to_the_care_team(app, make, client, auth):
    patient, clinician, coordinator = _patient_with_message(app, make)
    auth.login(coordinator.email)
    form = {"phone": "+12025550190", "body": "STOP"}
    assert (
        client.post("/dev/phone", data={**form, "csrf_token": auth.token("/dev/phone")}).status_code
        == 302
    )
    auth.logout()
    auth.login(clinician.email)
    page = client.get(f"/patients/{patient.id}/messages").get_data(as_text=True)
    assert "Opted out" in page and "by replying STOP" in page


def test_simulator_lists_console_messages_and_replies_through_the_pipeline(app, make, client, auth):
    _, clinician, _ = _patient_with_message(app, make)
    auth.login(clinician.email)
    page = client.get("/dev/phone?phone=%2B12025550190").get_data(as_text=True)
    assert "time for today&#39;s diary" in page
    assert 'href="http://127.0.0.1:5000/m/' in page
    token = auth.token("/dev/phone?phone=%2B12025550190")
    client.post("/dev/phone", data={"phone": "+12025550190", "body": "HELP", "csrf_token": token})
    page = client.get("/dev/phone?phone=%2B12025550190").get_data(as_text=True)
    assert "Reply STOP to stop, START to restart" in page


def test_simulator_empty_reply_shows_an_error_and_writes_nothing(app, make, client, auth):
    _, _, coordinator = _patient_with_message(app, make)
    auth.login(coordinator.email)
    with app.app_context():
        before = db.session.scalar(select(func.count()).select_from(ConsoleMessage))
    token = auth.token("/dev/phone")
    response = client.post(
        "/dev/phone", data={"phone": "+12025550190", "body": " ", "csrf_token": token}
    )
    assert response.status_code == 200
    assert "Type a reply." in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(ConsoleMessage)) == before
        user = db.session.scalars(select(User).where(User.phone_index.is_not(None))).first()
        assert db.session.scalars(select(SmsConsent).where(SmsConsent.user_id == user.id)).first()


def test_simulator_is_for_signed_in_staff_only(app, make, client, auth):
    """Nobody replies as a phone without signing in; patients and caregivers cannot either."""
    patient, _, _ = _patient_with_message(app, make)
    reply = {"phone": "+12025550190", "body": "STOP"}
    assert client.get("/dev/phone").status_code == 403
    assert client.post("/dev/phone", data=reply).status_code in {400, 403}
    caregiver = make.user(role=Role.CAREGIVER)
    for person in (patient.user, caregiver):
        auth.login(person.email)
        assert client.get("/dev/phone?phone=%2B12025550190").status_code == 403
        token = auth.token("/")
        assert client.post("/dev/phone", data={**reply, "csrf_token": token}).status_code == 403
        auth.logout()
    admin = make.user(role=Role.ADMIN)
    auth.login(admin.email)
    assert client.get("/dev/phone").status_code == 200
    with app.app_context():
        assert not db.session.scalars(
            select(SmsConsent).where(SmsConsent.withdrawn_at.is_not(None))
        ).first()


def test_simulator_exists_only_with_the_console_backend_outside_production(app, client, twilio_app):
    assert client.get("/dev/phone").status_code == 404
    twilio_app.config.update(SMS_BACKEND="console", HEED_ENV="production")
    try:
        assert client.get("/dev/phone").status_code == 404
    finally:
        twilio_app.config["HEED_ENV"] = "testing"
