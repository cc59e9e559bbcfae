"""Changing one's own password in settings: the current one first, the existing rules for the
new one, errors next to the fields, other sessions signed out, audited."""

from __future__ import annotations

import re

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select

from app.audit import AuditEvent
from app.auth.models import Role, User
from app.db import db
from app.security import verify_password
from tests.conftest import Auth
from tests.factories import PASSWORD

NEW = "a brand new passphrase"
URL = "/auth/settings/password"


def _change(auth: Auth, current: str, new: str, confirm: str | None = None):
    data = {"current_password": current, "password": new, "confirm": confirm or new}
    return auth.post(URL, data, token_from="/auth/settings")


def _marked(html: str, field: str) -> str:
    tag = re.search(rf'<input[^>]*id="{field}"[^>]*>', html).group(0)
    assert 'aria-invalid="true"' in tag and f"{field}-error" in tag, tag
    return re.search(rf'<p class="error" id="{field}-error">([^<]*)</p>', html).group(1)


@pytest.mark.parametrize("role", list(Role))
def test_every_role_changes_their_password_and_other_sessions_end(app, make, client, auth, role):
    clinic = make.clinic()
    user = {
        Role.PATIENT: lambda: make.patient(clinic).user,
        Role.CLINICIAN: lambda: make.clinician(clinic),
        Role.COORDINATOR: lambda: make.coordinator(clinic),
    }.get(role, lambda: make.user(role))()
    other = app.test_client()
    Auth(other).login(user.email, PASSWORD)
    auth.login(user.email, PASSWORD)
    assert 'id="current_password"' in client.get("/auth/settings").get_data(as_text=True)

    response = _change(auth, PASSWORD, NEW)
    assert response.status_code == 302
    page = client.get("/auth/settings").get_data(as_text=True)
    assert "Your password is changed." in page  # this session stays signed in
    assert other.get("/auth/settings").status_code == 302  # the other one is signed out
    with app.app_context():
        saved = db.session.get(User, user.id)
        assert verify_password(saved.password_hash, NEW)
        assert saved.password_hash.startswith("$argon2id$")
        events = db.session.scalars(
            select(AuditEvent).where(AuditEvent.action == "account.password_change")
        ).all()
        assert [(e.actor_id, e.patient_id) for e in events] == [(user.id, None)]
    auth.logout()
    assert auth.login(user.email, PASSWORD).status_code == 200  # the old one no longer works
    assert auth.login(user.email, NEW).status_code == 302


@pytest.mark.parametrize(
    ("current", "new", "confirm", "field", "message"),
    [
        ("wrong password", NEW, None, "current_password", "That is not your current password."),
        ("", NEW, None, "current_password", "Enter your current password."),
        (PASSWORD, "short", None, "password", "Use between 10 and 128 characters."),
        (PASSWORD, NEW, "something else", "confirm", "The two passwords do not match."),
        (PASSWORD, PASSWORD, None, "password", "Choose a new password, not the current one."),
    ],
)
def test_refused_changes_are_explained_next_to_the_field_and_change_nothing(
    app, make, client, auth, current, new, confirm, field, message
):
    user = make.clinician()
    auth.login(user.email, PASSWORD)
    response = _change(auth, current, new, confirm)
    assert response.status_code == 400
    assert _marked(response.get_data(as_text=True), field) == message
    with app.app_context():
        assert verify_password(db.session.get(User, user.id).password_hash, PASSWORD)
    assert client.get("/auth/settings").status_code == 200  # still signed in


def test_errors_are_in_the_persons_language(app, make, client: FlaskClient, auth):
    user = make.patient(locale="es").user
    auth.login(user.email, PASSWORD)
    html = _change(auth, "wrong password", NEW).get_data(as_text=True)
    assert _marked(html, "current_password") == "Esa no es su contraseña actual."
