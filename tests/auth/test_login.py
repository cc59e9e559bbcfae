"""Sign-in, sign-out, throttling, remember-me, idle timeout and redirects, as a user meets them."""

from __future__ import annotations

from datetime import timedelta

import time_machine
from sqlalchemy import func, select

from app.auth.models import LoginThrottle, Role, User
from app.db import db, utcnow
from tests.factories import PASSWORD


def test_each_role_lands_on_its_home_page(make, client, auth):
    clinic = make.clinic()
    clinician = make.clinician(clinic)
    patient = make.patient(clinic, team=[clinician], name="Pat Example")
    coordinator = make.coordinator(clinic)
    caregiver, _ = make.caregiver(patient, scopes=["view_scores"])
    admin = make.admin()
    expectations = {
        patient.user.email: "Who viewed my record",
        clinician.email: "Patients on your care teams",
        coordinator.email: "Caseload",
        caregiver.email: "People you support",
        admin.email: "Administration",
    }
    for email, marker in expectations.items():
        response = auth.login(email, PASSWORD)
        assert response.status_code == 302
        page = client.get(response.headers["Location"], follow_redirects=True)
        assert marker in page.get_data(as_text=True), email
        auth.logout()


def test_wrong_password_is_refused_with_a_message_and_no_session(make, client, auth):
    user = make.clinician()
    response = auth.login(user.email, "not the password")
    assert response.status_code == 200
    assert "That email and password do not match an account." in response.get_data(as_text=True)
    assert client.get("/").status_code == 302  # still anonymous


def test_malformed_and_overlong_input_gets_field_errors_and_writes_nothing(app, client, auth):
    for email, password, message in [
        ("not-an-email", "whatever", "Enter a valid email address"),
        ("a" * 250 + "@example.org", "whatever", "That email address is too long."),
        ("someone@example.org", "x" * 200, "That password is too long."),
        ("", "", "Enter your email address."),
    ]:
        response = auth.login(email, password)
        assert response.status_code == 200
        assert message in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(LoginThrottle)) == 0


def test_missing_or_stale_csrf_token_is_a_clear_400(make, client):
    user = make.clinician()
    for token in (None, "stale-token"):
        data = {"email": user.email, "password": PASSWORD}
        if token:
            data["csrf_token"] = token
        response = client.post("/auth/login", data=data)
        assert response.status_code == 400
        assert "This form has expired" in response.get_data(as_text=True)
    assert client.get("/").status_code == 302


def test_lockout_is_stored_in_the_database_and_holds_for_every_client(app, make, auth):
    user = make.patient().user
    for _ in range(app.config["LOGIN_MAX_FAILURES"]):
        auth.login(user.email, "wrong password!")
    # A brand-new client (another process, another phone) is locked out too,
    # even with the right password.
    other = app.test_client()
    from tests.conftest import Auth

    response = Auth(other).login(user.email, PASSWORD)
    assert "Too many failed attempts" in response.get_data(as_text=True)
    assert other.get("/").status_code == 302
    with app.app_context():
        throttle = db.session.scalars(select(LoginThrottle)).one()
        assert throttle.locked_until is not None
    with time_machine.travel(utcnow() + app.config["LOGIN_LOCKOUT"] + timedelta(seconds=1)):
        assert Auth(other).login(user.email, PASSWORD).status_code == 302


def test_password_hash_is_upgraded_on_login(app, make, auth):
    from argon2 import PasswordHasher

    user = make.clinician()
    weak = PasswordHasher(time_cost=1, memory_cost=512, parallelism=1).hash(PASSWORD)
    with app.app_context():
        db.session.get(User, user.id).password_hash = weak
        db.session.commit()
    assert auth.login(user.email, PASSWORD).status_code == 302
    with app.app_context():
        upgraded = db.session.get(User, user.id).password_hash
    assert upgraded != weak and upgraded.startswith("$argon2id$")


def test_logout_invalidates_every_copy_of_the_session(app, make, client, auth):
    user = make.patient().user
    auth.login(user.email, PASSWORD, remember="y")
    stolen = app.test_client()
    for cookie in client._cookies.values():  # a copied cookie jar
        stolen.set_cookie(cookie.key, cookie.value, domain=cookie.domain)
    assert stolen.get("/").status_code == 200
    auth.logout()
    assert client.get("/").status_code == 302
    assert stolen.get("/").status_code == 302, "a copied session or remember cookie still worked"


def test_remember_me_only_for_patients_and_caregivers(make, client, auth):
    patient = make.patient().user
    response = auth.login(patient.email, PASSWORD, remember="y")
    cookie = next(
        c for c in response.headers.getlist("Set-Cookie") if c.startswith("remember_token=")
    )
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    auth.logout()
    clinician = make.clinician()
    response = auth.login(clinician.email, PASSWORD, remember="y")
    assert not any(c.startswith("remember_token=") for c in response.headers.getlist("Set-Cookie"))


def test_staff_are_signed_out_after_idle_timeout_but_patients_are_not(app, make, client, auth):
    clinician = make.clinician()
    with time_machine.travel(utcnow(), tick=False) as traveller:
        auth.login(clinician.email, PASSWORD)
        assert client.get("/").status_code == 200
        traveller.shift(app.config["STAFF_IDLE_TIMEOUT"] - timedelta(minutes=1))
        assert client.get("/").status_code == 200  # activity resets the clock
        traveller.shift(app.config["STAFF_IDLE_TIMEOUT"] + timedelta(seconds=5))
        response = client.get("/")
        assert response.status_code == 302 and "/auth/login" in response.headers["Location"]
        page = client.get(response.headers["Location"]).get_data(as_text=True)
        assert "signed out after a period of inactivity" in page

        patient_client = app.test_client()
        from tests.conftest import Auth

        Auth(patient_client).login(make.patient().user.email, PASSWORD)
        traveller.shift(timedelta(hours=3))
        assert patient_client.get("/").status_code == 200


def test_a_network_change_does_not_sign_a_phone_out(make, client, auth):
    user = make.patient().user
    auth.login(user.email, PASSWORD)
    response = client.get(
        "/", environ_base={"REMOTE_ADDR": "203.0.113.77"}, headers={"User-Agent": "Phone"}
    )
    assert response.status_code == 200


def test_next_redirect_is_followed_only_when_local(make, client, auth):
    user = make.clinician()
    for target, expected in [
        ("/auth/settings", "/auth/settings"),
        ("https://elsewhere.example/steal", "/"),
        ("//elsewhere.example/steal", "/"),
        ("/\\elsewhere.example", "/"),
        ("javascript:alert(1)", "/"),
    ]:
        token = auth.token()
        response = client.post(
            "/auth/login",
            query_string={"next": target},
            data={"email": user.email, "password": PASSWORD, "csrf_token": token},
        )
        assert response.status_code == 302
        assert response.headers["Location"] == expected, target
        auth.logout()


def test_tampered_session_cookie_is_anonymous_not_an_error(make, client, auth):
    user = make.clinician()
    auth.login(user.email, PASSWORD)
    cookie = client.get_cookie("session")
    client.set_cookie("session", cookie.value[:-4] + "AAAA")
    response = client.get("/")
    assert response.status_code == 302 and "/auth/login" in response.headers["Location"]


def test_inactive_account_cannot_sign_in(app, make, auth):
    user = make.user(Role.CLINICIAN, discipline="psychology", clinic=make.clinic())
    with app.app_context():
        db.session.get(User, user.id).active = False
        db.session.commit()
    response = auth.login(user.email, PASSWORD)
    assert "do not match an account" in response.get_data(as_text=True)


def test_email_is_case_insensitive(make, auth):
    make.clinician(email="mixed.case@example.org")
    assert auth.login("  MIXED.case@EXAMPLE.org ", PASSWORD).status_code == 302
