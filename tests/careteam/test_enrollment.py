"""Enrolling a patient: account, clinic, language, consent record, invitation; bad input writes nothing."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from app.auth.models import User
from app.careteam.models import CareTeamMembership, Patient, SmsConsent
from app.db import db
from tests.conftest import Auth
from tests.factories import PASSWORD

VALID = {
    "display_name": "New Patient",
    "email": "new.patient@example.org",
    "phone": "+1 202 555 0150",
    "locale": "es",
    "readable_locales": ["en", "es"],
    "timezone": "America/Mexico_City",
    "sms_consent": "verbal",
}


def _enroll(auth: Auth, **overrides):
    data = {**VALID, **overrides}
    return auth.client.post(
        "/patients/enroll", data={**data, "csrf_token": auth.token("/patients/enroll")}
    )


def test_clinician_enrolls_a_patient_who_can_then_accept_the_invitation(app, make, client, auth):
    clinic = make.clinic()
    clinician = make.clinician(clinic)
    auth.login(clinician.email, PASSWORD)
    response = _enroll(auth)
    assert response.status_code == 302
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == VALID["email"]))
        patient = db.session.scalar(select(Patient).where(Patient.user_id == user.id))
        assert (user.locale, user.timezone, user.phone) == (
            "es",
            "America/Mexico_City",
            "+12025550150",
        )
        assert patient.clinic_id == clinic.id
        assert patient.readable_locales == ["en"]  # the preferred language is not repeated
        assert user.password_hash is None
        lead = db.session.scalars(
            select(CareTeamMembership).where(CareTeamMembership.patient_id == patient.id)
        ).one()
        assert (lead.member_id, lead.is_lead, lead.added_by_id) == (
            clinician.id,
            True,
            clinician.id,
        )
        consent = db.session.scalars(select(SmsConsent).where(SmsConsent.user_id == user.id)).one()
        assert consent.channel == "verbal"
        assert consent.locale == "es"
        assert consent.recorded_by_id == clinician.id
        assert "STOP" in consent.wording
    assert response.headers["Location"] == f"/patients/{patient.id}"
    mail = app.extensions["heed.mail_outbox"][-1]
    assert mail.to == VALID["email"]
    link = re.search(r"http://localhost(/auth/invitation/\S+)", mail.body).group(1)
    auth.logout()
    new_password = "a long enough password"
    assert (
        auth.post(
            link, {"password": new_password, "confirm": new_password}, token_from=link
        ).status_code
        == 302
    )
    assert auth.login(VALID["email"], new_password).status_code == 302


def test_coordinator_enrolls_without_joining_the_team(app, make, auth):
    clinic = make.clinic()
    auth.login(make.coordinator(clinic).email, PASSWORD)
    assert _enroll(auth, email="", sms_consent="").status_code == 302
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(CareTeamMembership)) == 0
        assert db.session.scalar(select(func.count()).select_from(SmsConsent)) == 0


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"email": "", "phone": ""}, "Enter an email address or a mobile number"),
        ({"email": "not-an-email"}, "Enter a valid email address"),
        ({"phone": "12345"}, "Enter a valid mobile number"),
        ({"phone": "", "sms_consent": "verbal"}, "Text-message consent needs a mobile number."),
        ({"display_name": ""}, "This field is required."),
        ({"display_name": "x" * 121}, "Use at most 120 characters."),
        ({"timezone": "Mars/Base"}, "Choose a time zone from the list."),
        ({"locale": "zz"}, "Not a valid choice"),
        ({"readable_locales": ["en", "../x"]}, "not a valid choice"),
    ],
)
def test_bad_enrollment_input_is_explained_and_writes_nothing(app, make, auth, overrides, message):
    clinic = make.clinic()
    auth.login(make.coordinator(clinic).email, PASSWORD)
    with app.app_context():
        users_before = db.session.scalar(select(func.count()).select_from(User))
    response = _enroll(auth, **overrides)
    assert response.status_code == 200
    assert message.lower() in response.get_data(as_text=True).lower()
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(User)) == users_before
        assert db.session.scalar(select(func.count()).select_from(Patient)) == 0
    assert app.extensions["heed.mail_outbox"] == []


def test_duplicate_email_is_refused(app, make, auth):
    clinic = make.clinic()
    existing = make.patient(clinic)
    auth.login(make.coordinator(clinic).email, PASSWORD)
    response = _enroll(auth, email=existing.user.email)
    assert "An account with that email already exists." in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Patient)) == 1


def test_only_clinicians_and_coordinators_enroll(make, client, auth):
    for user in (make.patient().user, make.admin()):
        auth.login(user.email, PASSWORD)
        assert client.get("/patients/enroll").status_code == 403
        auth.logout()
