"""Message log (bodies only for those allowed, audited) and the development phone simulator."""

from __future__ import annotations

from datetime import date, time
from zoneinfo import ZoneInfo

from sqlalchemy import func, select

from app.audit import AuditEvent
from app.auth.models import User
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
    patient, clinician, _ = _patient_with_message(app, make)
    form = {"phone": "+12025550190", "body": "STOP"}
    assert (
        client.post("/dev/phone", data={**form, "csrf_token": auth.token("/dev/phone")}).status_code
        == 302
    )
    auth.login(clinician.email)
    page = client.get(f"/patients/{patient.id}/messages").get_data(as_text=True)
    assert "Opted out" in page and "by replying STOP" in page


def test_simulator_lists_console_messages_and_replies_through_the_pipeline(app, make, client, auth):
    _patient_with_message(app, make)
    page = client.get("/dev/phone?phone=%2B12025550190").get_data(as_text=True)
    assert "time for today&#39;s diary" in page
    assert 'href="http://127.0.0.1:5000/m/' in page
    token = auth.token("/dev/phone?phone=%2B12025550190")
    client.post("/dev/phone", data={"phone": "+12025550190", "body": "HELP", "csrf_token": token})
    page = client.get("/dev/phone?phone=%2B12025550190").get_data(as_text=True)
    assert "Reply STOP to stop, START to restart" in page


def test_simulator_empty_reply_shows_an_error_and_writes_nothing(app, make, client, auth):
    _patient_with_message(app, make)
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


def test_simulator_exists_only_with_the_console_backend_outside_production(app, client, twilio_app):
    assert client.get("/dev/phone").status_code == 404
    twilio_app.config.update(SMS_BACKEND="console", HEED_ENV="production")
    try:
        assert client.get("/dev/phone").status_code == 404
    finally:
        twilio_app.config["HEED_ENV"] = "testing"
