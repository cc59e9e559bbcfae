"""Personal access tokens: created and revoked by their person, hashed at rest, scoped,
expiring, rate limited, audited, and never an admin's."""

from __future__ import annotations

import re
from datetime import timedelta

import time_machine
from sqlalchemy import select

from app.api.models import ApiToken
from app.audit import AuditEvent
from app.db import db, utcnow
from tests.conftest import csrf_from
from tests.factories import PASSWORD

SECRET_RE = re.compile(r"heed_pat_[A-Za-z0-9_-]+")


def _create(client, auth, *, scope="read", name="My script") -> str:
    token = csrf_from(client.get("/settings/tokens").get_data(as_text=True))
    page = client.post(
        "/settings/tokens",
        data={"csrf_token": token, "name": name, "scope": scope, "days": "30"},
    )
    assert page.status_code == 201, page.get_data(as_text=True)
    match = SECRET_RE.search(page.get_data(as_text=True))
    assert match
    return match.group(0)


def test_a_patient_creates_uses_and_revokes_a_token(app, make, client, auth):
    patient = make.patient()
    auth.login(patient.user.email, PASSWORD)
    secret = _create(client, auth)
    with app.app_context():
        row = db.session.scalar(select(ApiToken))
        assert row.token_hash != secret and secret not in (row.prefix + row.token_hash)
        actions = set(db.session.scalars(select(AuditEvent.action)))
        assert "api.token_create" in actions
    auth.logout()
    api = app.test_client()
    bearer = {"Authorization": f"Bearer {secret}"}
    me = api.get("/api/v1/me", headers=bearer)
    assert me.status_code == 200 and me.get_json()["role"] == "patient"
    assert "Set-Cookie" not in me.headers
    # A read token may not write.
    put = api.put(
        f"/api/v1/patients/{patient.id}/diary/{utcnow().date().isoformat()}",
        json={"mood": 4},
        headers=bearer,
    )
    assert put.status_code == 403

    auth.login(patient.user.email, PASSWORD)
    listing = client.get("/settings/tokens").get_data(as_text=True)
    assert "My script" in listing and secret not in listing
    with app.app_context():
        token_id = db.session.scalar(select(ApiToken.id))
    csrf = csrf_from(listing)
    revoked = client.post(
        "/settings/tokens/revoke", data={"csrf_token": csrf, "token_id": str(token_id)}
    )
    assert revoked.status_code == 303
    assert api.get("/api/v1/me", headers=bearer).status_code == 401


def test_unknown_and_expired_tokens_are_refused(app, make, client, auth):
    patient = make.patient()
    auth.login(patient.user.email, PASSWORD)
    secret = _create(client, auth)
    api = app.test_client()
    assert (
        api.get("/api/v1/me", headers={"Authorization": "Bearer heed_pat_nope"}).status_code == 401
    )
    with time_machine.travel(utcnow() + timedelta(days=31)):
        response = api.get("/api/v1/me", headers={"Authorization": f"Bearer {secret}"})
    assert response.status_code == 401 and response.mimetype == "application/problem+json"


def test_the_rate_limit_answers_429_with_retry_after(app, make, client, auth):
    patient = make.patient()
    auth.login(patient.user.email, PASSWORD)
    secret = _create(client, auth)
    api = app.test_client()
    bearer = {"Authorization": f"Bearer {secret}"}
    limit = app.config["API_RATE_LIMIT_PER_MINUTE"]
    app.config["API_RATE_LIMIT_PER_MINUTE"] = 2
    try:
        assert api.get("/api/v1/me", headers=bearer).status_code == 200
        assert api.get("/api/v1/me", headers=bearer).status_code == 200
        limited = api.get("/api/v1/me", headers=bearer)
    finally:
        app.config["API_RATE_LIMIT_PER_MINUTE"] = limit
    assert limited.status_code == 429 and int(limited.headers["Retry-After"]) >= 1


def test_admins_cannot_create_tokens(app, make, client, auth):
    admin = make.admin()
    auth.login(admin.email, PASSWORD)
    page = client.get("/settings/tokens")
    assert page.status_code == 200 and 'name="name"' not in page.get_data(as_text=True)
    csrf = csrf_from(client.get("/settings").get_data(as_text=True))
    refused = client.post(
        "/settings/tokens", data={"csrf_token": csrf, "name": "x", "scope": "read", "days": "30"}
    )
    assert refused.status_code == 404
    with app.app_context():
        assert db.session.scalar(select(ApiToken)) is None


def test_a_bad_token_form_is_refused_next_to_the_field(app, make, client, auth):
    patient = make.patient()
    auth.login(patient.user.email, PASSWORD)
    csrf = csrf_from(client.get("/settings/tokens").get_data(as_text=True))
    page = client.post(
        "/settings/tokens", data={"csrf_token": csrf, "name": "", "scope": "admin", "days": "7"}
    )
    assert page.status_code == 422
    html = page.get_data(as_text=True)
    assert 'aria-invalid="true"' in html and 'id="name-error"' in html
    with app.app_context():
        assert db.session.scalar(select(ApiToken)) is None
