"""Passkeys through the JSON ceremonies (a software authenticator stands in for the browser):
registration, second factor, sign-in without a password, replayed and foreign assertions."""

from __future__ import annotations

import json

from sqlalchemy import select

from app.audit import AuditEvent
from app.auth.mfa.models import Passkey
from app.auth.models import LoginThrottle
from app.db import db
from tests.auth.mfa_helpers import passkey_count, with_passkey
from tests.auth.softkey import SoftKey
from tests.conftest import csrf_from
from tests.factories import PASSWORD

SECOND = "/auth/second-factor"


def _json(client, path: str, token: str, body: dict | None = None, **headers):
    return client.post(
        path,
        data=json.dumps(body or {}),
        headers={"Content-Type": "application/json", "X-CSRFToken": token, **headers},
    )


def test_a_signed_in_person_adds_a_named_passkey_and_sees_it(app, make, client, auth):
    user = make.clinician()
    auth.login(user.email, PASSWORD)
    page = client.get("/auth/security/passkeys/new").get_data(as_text=True)
    assert 'data-passkey="register"' in page and "needs JavaScript" in page
    token = csrf_from(page)
    options = _json(client, "/auth/security/passkeys/options", token).get_json()
    assert options["rp"]["id"] == "127.0.0.1"  # the host of PUBLIC_BASE_URL
    key = SoftKey(app.config["PUBLIC_BASE_URL"], "127.0.0.1")
    # No name: refused, nothing stored.
    response = _json(client, "/auth/security/passkeys", token, {"credential": key.create(options)})
    assert (
        response.status_code == 400 and response.get_json()["message"] == "Give the passkey a name."
    )
    assert passkey_count(app, user) == 0
    options = _json(client, "/auth/security/passkeys/options", token).get_json()
    response = _json(
        client,
        "/auth/security/passkeys",
        token,
        {"credential": key.create(options), "name": "Work laptop"},
    )
    assert response.status_code == 200 and response.get_json()["redirect"] == "/auth/security"
    page = client.get("/auth/security").get_data(as_text=True)
    assert "Work laptop" in page and "Not used yet." in page
    # The same registration response again: its challenge is used up.
    response = _json(
        client,
        "/auth/security/passkeys",
        token,
        {"credential": key.create(options), "name": "Again"},
    )
    assert response.status_code == 400
    assert passkey_count(app, user) == 1


def _start_second_step(client, auth, user) -> str:
    response = auth.login(user.email, PASSWORD)
    assert response.headers["Location"] == SECOND
    return csrf_from(client.get(SECOND).get_data(as_text=True))


def test_a_passkey_is_a_second_factor_and_a_replayed_assertion_is_refused(app, make, client, auth):
    user = make.clinician()
    key = with_passkey(app, user)
    token = _start_second_step(client, auth, user)
    options = _json(client, f"{SECOND}/passkey/options", token).get_json()
    assert [c["id"] for c in options["allowCredentials"]]
    assertion = key.get(options)
    response = _json(client, f"{SECOND}/passkey", token, {"credential": assertion})
    assert response.status_code == 200 and response.get_json()["redirect"] == "/"
    assert client.get("/").status_code == 200
    auth.logout()
    # The recorded assertion, replayed in a new sign-in: refused, not signed in.
    token = _start_second_step(client, auth, user)
    _json(client, f"{SECOND}/passkey/options", token)
    response = _json(client, f"{SECOND}/passkey", token, {"credential": assertion})
    assert response.status_code == 400
    assert response.get_json()["message"].startswith("The passkey could not be checked.")
    assert client.get("/").status_code == 302
    with app.app_context():
        failed = db.session.scalars(
            select(AuditEvent.object_type).where(
                AuditEvent.action == "auth.mfa_failed", AuditEvent.object_id == str(user.id)
            )
        ).all()
    assert failed == ["passkey"]


def test_an_assertion_for_another_origin_or_without_a_ceremony_is_refused(app, make, client, auth):
    user = make.clinician()
    key = with_passkey(app, user)
    token = _start_second_step(client, auth, user)
    response = _json(
        client, f"{SECOND}/passkey", token, {"credential": key.get({"challenge": "AAAA"})}
    )
    assert response.status_code == 400  # no ceremony begun
    options = _json(client, f"{SECOND}/passkey/options", token).get_json()
    response = _json(
        client,
        f"{SECOND}/passkey",
        token,
        {"credential": key.get(options, origin="https://evil.example")},
    )
    assert response.status_code == 400
    for body, status in ((b"", 400), (b"not json", 400), (b'{"credential": "x"}', 403)):
        response = client.post(
            f"{SECOND}/passkey",
            data=body,
            headers={"Content-Type": "application/json", "X-CSRFToken": token},
        )
        assert response.status_code == status, body
    # The fifth failure locked the account (passkey failures count like wrong passwords).
    assert response.get_json()["reason"] == "locked"
    assert client.get("/").status_code == 302


def test_staff_sign_in_with_a_passkey_alone(app, make, client, auth):
    user = make.coordinator(make.clinic())
    key = with_passkey(app, user)
    token = csrf_from(client.get("/auth/login").get_data(as_text=True))
    options = _json(client, "/auth/passkey/options", token).get_json()
    assert options["userVerification"] == "required" and not options.get("allowCredentials")
    response = _json(client, "/auth/passkey", token, {"credential": key.get(options)})
    assert response.status_code == 200
    assert client.get("/").status_code == 200
    with app.app_context():
        stored = db.session.scalar(select(Passkey).where(Passkey.user_id == user.id))
        assert stored.last_used_at is not None and stored.sign_count == 1
    auth.logout()
    # Without user verification (anyone holding the key) it is not enough alone.
    weak = SoftKey(key.origin, key.rp_id, user_verified=False)
    weak.private, weak.credential_id, weak.count = key.private, key.credential_id, key.count
    token = csrf_from(client.get("/auth/login").get_data(as_text=True))
    options = _json(client, "/auth/passkey/options", token).get_json()
    assert (
        _json(client, "/auth/passkey", token, {"credential": weak.get(options)}).status_code == 400
    )
    assert client.get("/").status_code == 302
    with app.app_context():  # audited against the key's owner and counted by the lockout
        assert (
            db.session.scalar(
                select(AuditEvent.object_type).where(
                    AuditEvent.action == "auth.mfa_failed", AuditEvent.object_id == str(user.id)
                )
            )
            == "passkey"
        )
        throttle = db.session.scalar(select(LoginThrottle))
        assert throttle is not None and throttle.failures == 1


def test_the_partial_state_opens_no_ceremony_but_its_own_and_answers_in_the_person_language(
    app, make, client, auth
):
    user = make.clinician(locale="fr")
    key = with_passkey(app, user)
    token = _start_second_step(client, auth, user)
    # Registering a key needs a full sign-in: the partial state is not one.
    response = _json(client, "/auth/security/passkeys/options", token)
    assert response.status_code == 401 and response.get_json()["reason"] == "login_required"
    options = _json(client, f"{SECOND}/passkey/options", token).get_json()
    response = _json(
        client,
        f"{SECOND}/passkey",
        token,
        {"credential": key.get(options, origin="https://evil.example")},
        **{"Accept-Language": "fr"},
    )
    assert response.get_json()["message"].startswith("La clé d\u2019accès n\u2019a pas pu")


def test_an_assertion_replayed_with_an_old_copy_of_the_session_is_refused(app, make, client, auth):
    """The session is a signed cookie: someone who kept a copy from before the ceremony ended
    still finds the challenge answered (recorded in the database, for every process)."""
    user = make.clinician()
    key = with_passkey(app, user)
    key.counting = False  # like a synced passkey: no signature counter to catch the replay
    token = _start_second_step(client, auth, user)
    options = _json(client, f"{SECOND}/passkey/options", token).get_json()
    old_cookie = client.get_cookie("session").value
    assertion = key.get(options)
    assert _json(client, f"{SECOND}/passkey", token, {"credential": assertion}).status_code == 200
    other = app.test_client()
    other.set_cookie("session", old_cookie)
    response = _json(other, f"{SECOND}/passkey", token, {"credential": assertion})
    assert response.status_code == 400
    assert other.get("/").status_code == 302
