"""Managing second factors: new recovery codes need a fresh factor, removal needs the
password and never leaves required staff without a factor, the administrator's reset, and
what the patient's export shows (never a secret)."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from app.audit import AuditEvent
from app.auth.mfa.models import Passkey, RecoveryCode, SecondFactorReset, TotpFactor
from app.auth.models import User
from app.db import db
from tests.auth.mfa_helpers import now_code, with_codes, with_passkey, with_totp
from tests.conftest import csrf_from
from tests.factories import PASSWORD

SECOND = "/auth/second-factor"


def _sign_in(client, auth, user, secret: str) -> None:
    auth.login(user.email, PASSWORD)
    token = csrf_from(client.get(SECOND).get_data(as_text=True))
    assert (
        client.post(SECOND, data={"code": now_code(secret), "csrf_token": token}).status_code == 302
    )


def _hashes(app, user) -> set[str]:
    with app.app_context():
        return set(
            db.session.scalars(
                select(RecoveryCode.code_hash).where(RecoveryCode.user_id == user.id)
            )
        )


def test_new_recovery_codes_need_a_fresh_code_and_replace_the_old_ones(app, make, client, auth):
    user = make.clinician()
    secret = with_totp(app, user)
    old = with_codes(app, user)
    before = _hashes(app, user)
    # Sign in with a recovery code, so the current authenticator code is still unused.
    auth.login(user.email, PASSWORD)
    token = csrf_from(client.get(f"{SECOND}/recovery").get_data(as_text=True))
    client.post(f"{SECOND}/recovery", data={"code": old[0], "csrf_token": token})
    page = client.get("/auth/security").get_data(as_text=True)
    assert "9 recovery codes left." in page
    token = csrf_from(page)
    for code in ("", "123"):
        response = client.post(
            "/auth/security/recovery-codes", data={"code": code, "csrf_token": token}
        )
        assert response.status_code == 200
        assert "Enter the code." in response.get_data(
            as_text=True
        ) or "not right" in response.get_data(as_text=True)
    assert _hashes(app, user) == before
    response = client.post(
        "/auth/security/recovery-codes", data={"code": now_code(secret), "csrf_token": token}
    )
    page = response.get_data(as_text=True)
    assert page.count("<li><code>") == 10 and old[1] not in page
    after = _hashes(app, user)
    assert len(after) == 10 and not after & before


def test_removing_a_factor_needs_the_password_and_keeps_required_staff_covered(
    app, make, client, auth
):
    user = make.clinician()
    secret = with_totp(app, user)
    with_codes(app, user)
    _sign_in(client, auth, user, secret)
    token = csrf_from(client.get("/auth/security").get_data(as_text=True))
    app.config["REQUIRE_STAFF_2FA"] = True
    try:
        client.post(
            "/auth/security/authenticator/remove", data={"password": PASSWORD, "csrf_token": token}
        )
        assert "Add another one before you remove this one." in client.get(
            "/auth/security"
        ).get_data(as_text=True)
    finally:
        app.config["REQUIRE_STAFF_2FA"] = False
    client.post(
        "/auth/security/authenticator/remove", data={"password": "wrong", "csrf_token": token}
    )
    assert "That password is not right." in client.get("/auth/security").get_data(as_text=True)
    with app.app_context():
        assert db.session.get(TotpFactor, user.id) is not None
    client.post(
        "/auth/security/authenticator/remove", data={"password": PASSWORD, "csrf_token": token}
    )
    with app.app_context():
        assert db.session.get(TotpFactor, user.id) is None
        # No factor left: the recovery codes went with it.
        assert not db.session.scalars(
            select(RecoveryCode).where(RecoveryCode.user_id == user.id)
        ).all()


def test_a_passkey_can_be_removed(app, make, client, auth):
    user = make.clinician()
    secret = with_totp(app, user)
    with_passkey(app, user)
    _sign_in(client, auth, user, secret)
    with app.app_context():
        key_id = db.session.scalar(select(Passkey.id).where(Passkey.user_id == user.id))
    token = csrf_from(client.get("/auth/security").get_data(as_text=True))
    client.post(
        f"/auth/security/passkeys/{key_id}/remove", data={"password": PASSWORD, "csrf_token": token}
    )
    with app.app_context():
        assert db.session.get(Passkey, key_id) is None


@pytest.fixture
def admin_client(app, make, client, auth):
    admin = make.admin()
    auth.login(admin.email, PASSWORD)
    return admin


def test_an_administrator_resets_a_second_factor_with_a_reason(
    app, make, client, auth, admin_client
):
    person = make.clinician(locale="fr")
    with_totp(app, person)
    with_passkey(app, person)
    with_codes(app, person)
    page = client.get("/admin/").get_data(as_text=True)
    path = f"/admin/second-factor?email={person.email}"
    assert path in page.replace("%40", "@")  # the staff list links to the prefilled form
    page = client.get(path).get_data(as_text=True)
    assert f'value="{person.email}"' in page
    token = csrf_from(page)
    response = client.post(path, data={"email": person.email, "reason": "  ", "csrf_token": token})
    assert "Write the reason for the reset." in response.get_data(as_text=True)
    response = client.post(
        path, data={"email": "nobody@example.org", "reason": "Lost phone", "csrf_token": token}
    )
    assert "No account with that email has a second factor." in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(TotpFactor, person.id) is not None
        assert not db.session.scalars(select(SecondFactorReset)).all()
    response = client.post(
        path,
        data={
            "email": person.email.upper(),
            "reason": "Lost phone; identity checked by call back",
            "csrf_token": token,
        },
    )
    assert response.headers["Location"] == "/admin/"
    with app.app_context():
        assert db.session.get(TotpFactor, person.id) is None
        for model in (Passkey, RecoveryCode):
            assert not db.session.scalars(select(model).where(model.user_id == person.id)).all()
        reset = db.session.scalar(
            select(SecondFactorReset).where(SecondFactorReset.user_id == person.id)
        )
        assert reset.reason.startswith("Lost phone") and reset.reset_by_id == admin_client.id
        assert db.session.get(User, person.id).session_version == person.session_version + 1
        event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "auth.mfa_reset"))
        assert event.actor_id == admin_client.id and event.object_id == str(person.id)
    mail = app.extensions["heed.mail_outbox"][-1]
    assert mail.to == person.email and "administrateur" in mail.body.lower()


def test_a_patient_who_lost_every_factor_is_reset_without_their_name_shown(
    app, make, client, auth, admin_client
):
    patient = make.patient(name="Pat Lostphone")
    with_totp(app, patient.user)
    page = client.get("/admin/second-factor").get_data(as_text=True)
    token = csrf_from(page)
    response = client.post(
        "/admin/second-factor",
        data={
            "email": patient.user.email,
            "reason": "Called from the number on file",
            "csrf_token": token,
        },
    )
    assert response.status_code == 302
    assert "Lostphone" not in client.get("/admin/").get_data(as_text=True)
    with app.app_context():
        assert db.session.get(TotpFactor, patient.user.id) is None


def test_only_administrators_reset(app, make, client, auth):
    auth.login(make.clinician().email, PASSWORD)
    assert client.get("/admin/second-factor").status_code == 403


def test_the_patient_export_lists_factors_but_never_a_secret(app, make, client, auth):
    patient = make.patient()
    secret = with_totp(app, patient.user)
    with_passkey(app, patient.user)
    codes = with_codes(app, patient.user)
    _sign_in(client, auth, patient.user, secret)
    response = client.get(f"/patients/{patient.id}/data/export.json")
    text = response.get_data(as_text=True)
    sections = json.loads(text)["sections"]
    kinds = [row["kind"] for row in sections["second_factors"]]
    assert kinds.count("authenticator_app") == 1 and kinds.count("passkey") == 1
    assert kinds.count("recovery_code") == 10
    assert secret not in text and "argon2" not in text
    assert not any(code in text or code.replace("-", "") in text for code in codes)
