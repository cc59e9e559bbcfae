"""Password reset and invitations by one-time, expiring tokens."""

from __future__ import annotations

import re
from datetime import timedelta

import time_machine
from sqlalchemy import select

from app.auth.models import OneTimeToken, User
from app.db import db, utcnow
from tests.factories import PASSWORD

NEW_PASSWORD = "a brand new passphrase"


def _link_from_outbox(app) -> str:
    body = app.extensions["heed.mail_outbox"][-1].body
    return re.search(r"http://localhost(/auth/\S+)", body).group(1)


def test_reset_flow_sets_a_new_password_and_the_link_works_once(app, make, client, auth):
    user = make.patient(locale="es").user
    response = auth.post("/auth/reset", {"email": user.email}, token_from="/auth/reset")
    assert response.status_code == 302
    mail = app.extensions["heed.mail_outbox"][-1]
    assert mail.to == user.email
    assert "restablecer" in mail.subject.lower() or "contraseña" in mail.subject.lower()
    link = _link_from_outbox(app)

    response = auth.post(link, {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD}, token_from=link)
    assert response.status_code == 302
    assert auth.login(user.email, NEW_PASSWORD).status_code == 302
    auth.logout()
    # Reused link: clear message, nothing changes.
    response = client.get(link)
    assert response.status_code == 410
    assert auth.login(user.email, PASSWORD).status_code == 200


def test_reset_for_unknown_email_answers_the_same_and_sends_nothing(app, auth):
    response = auth.post("/auth/reset", {"email": "nobody@example.org"}, token_from="/auth/reset")
    assert response.status_code == 302
    assert app.extensions["heed.mail_outbox"] == []


def test_expired_reset_link_is_refused(app, make, client, auth):
    user = make.clinician()
    auth.post("/auth/reset", {"email": user.email}, token_from="/auth/reset")
    link = _link_from_outbox(app)
    with time_machine.travel(utcnow() + timedelta(hours=2)):
        response = client.get(link)
        assert response.status_code == 410
        assert "This link is no longer valid" in response.get_data(as_text=True)


def test_mismatched_or_short_passwords_keep_the_old_password(app, make, auth):
    user = make.clinician()
    auth.post("/auth/reset", {"email": user.email}, token_from="/auth/reset")
    link = _link_from_outbox(app)
    for password, confirm, message in [
        ("short", "short", "Use between 10 and 128 characters."),
        (NEW_PASSWORD, NEW_PASSWORD + "x", "The two passwords do not match."),
    ]:
        response = auth.post(link, {"password": password, "confirm": confirm}, token_from=link)
        assert response.status_code == 200
        assert message in response.get_data(as_text=True)
    with app.app_context():
        token = db.session.scalars(select(OneTimeToken)).one()
        assert token.used_at is None
    assert auth.login(user.email, PASSWORD).status_code == 302


def test_tokens_are_stored_hashed(app, make, auth):
    user = make.clinician()
    auth.post("/auth/reset", {"email": user.email}, token_from="/auth/reset")
    raw = _link_from_outbox(app).rsplit("/", 1)[-1]
    with app.app_context():
        assert db.session.scalar(select(OneTimeToken).where(OneTimeToken.digest == raw)) is None


def test_invitation_is_accepted_once_then_expired(app, make, client, auth):
    clinic = make.clinic()
    admin = make.admin()
    auth.login(admin.email, PASSWORD)
    response = auth.post(
        "/admin/invite",
        {
            "display_name": "New Nurse",
            "email": "nurse@example.org",
            "role": "clinician",
            "discipline": "nursing",
            "clinic": str(clinic.id),
        },
        token_from="/admin/invite",
    )
    assert response.status_code == 302
    link = _link_from_outbox(app)
    auth.logout()
    with app.app_context():
        invited = db.session.scalar(select(User).where(User.email == "nurse@example.org"))
        assert invited.password_hash is None and not invited.is_active
    assert auth.login("nurse@example.org", "anything at all").status_code == 200

    response = auth.post(link, {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD}, token_from=link)
    assert response.status_code == 302
    assert auth.login("nurse@example.org", NEW_PASSWORD).status_code == 302
    auth.logout()
    assert client.get(link).status_code == 410
    response = client.post(
        link, data={"password": "x" * 12, "confirm": "x" * 12, "csrf_token": auth.token()}
    )
    assert response.status_code == 410


def test_expired_invitation_is_refused(app, make, client, auth):
    clinic = make.clinic()
    admin = make.admin()
    auth.login(admin.email, PASSWORD)
    auth.post(
        "/admin/invite",
        {
            "display_name": "Late",
            "email": "late@example.org",
            "role": "coordinator",
            "discipline": "",
            "clinic": str(clinic.id),
        },
        token_from="/admin/invite",
    )
    link = _link_from_outbox(app)
    auth.logout()
    with time_machine.travel(
        utcnow() + app.config["TOKEN_LIFETIME_INVITATION"] + timedelta(minutes=1)
    ):
        response = client.get(link)
        assert response.status_code == 410, response.headers.get("Location")


def test_invitation_form_validates_and_writes_nothing_on_error(app, make, auth):
    clinic = make.clinic()
    existing = make.clinician(clinic)
    auth.login(make.admin().email, PASSWORD)
    cases = [
        ({"email": "bad"}, "Enter a valid email address"),
        ({"role": "clinician", "discipline": ""}, "Choose the clinician"),
        ({"role": "coordinator", "discipline": "psychology"}, "Only clinicians have a discipline."),
        ({"email": existing.email}, "An account with that email already exists."),
        ({"display_name": "x" * 200}, "Use at most 120 characters."),
        ({"clinic": "not-a-clinic"}, "Not a valid choice"),
    ]
    for override, message in cases:
        data = {
            "display_name": "Someone",
            "email": "someone@example.org",
            "role": "clinician",
            "discipline": "psychology",
            "clinic": str(clinic.id),
            **override,
        }
        response = auth.post("/admin/invite", data, token_from="/admin/invite")
        assert response.status_code == 200, override
        assert message in response.get_data(as_text=True), override
    with app.app_context():
        assert db.session.scalar(select(User).where(User.email == "someone@example.org")) is None
    assert app.extensions["heed.mail_outbox"] == []
