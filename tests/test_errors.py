"""Error answers: pages for browsers, JSON with a machine-readable reason for JSON callers."""

from __future__ import annotations

from datetime import timedelta

import time_machine
from sqlalchemy import func, select

from app.auth import services as auth_services
from app.auth.models import User
from app.auth.sessions import LAST_SEEN
from app.careplan.models import CarePlanComment
from app.db import db, utcnow
from tests.conftest import csrf_from
from tests.factories import PASSWORD

JSON = {"Accept": "application/json"}


def _entry_url(patient) -> str:
    return f"/patients/{patient.id}/diary/entry"


def _signed_in(client, auth, patient) -> str:
    """Sign the patient in; the CSRF token of their diary form."""
    assert auth.login(patient.user.email, PASSWORD).status_code == 302
    return csrf_from(client.get(_entry_url(patient)).get_data(as_text=True))


def test_json_caller_with_an_ended_session_gets_json_401(app, make, client, auth):
    patient = make.patient()
    token = _signed_in(client, auth, patient)
    with app.test_request_context():
        auth_services.end_all_sessions(db.session.get(User, patient.user_id))
        db.session.commit()
    response = client.post(_entry_url(patient), json={"mood": 5}, headers={"X-CSRFToken": token})
    assert response.status_code == 401
    assert response.is_json
    assert response.get_json()["error"] == "unauthorized"
    assert response.get_json()["reason"] == "session_expired"
    assert response.get_json()["message"] == "Please sign in to continue."


def test_json_caller_without_a_session_gets_json_401(make, client):
    patient = make.patient()
    response = client.get(f"/patients/{patient.id}/diary/history", headers=JSON)
    assert response.status_code == 401
    assert response.get_json() == {
        "error": "unauthorized",
        "reason": "login_required",
        "message": "Please sign in to continue.",
    }


def test_staff_idle_timeout_answers_json_callers_with_json_401(app, make, client, auth):
    clinician = make.clinician()
    patient = make.patient(team=[clinician])
    auth.login(clinician.email, PASSWORD)
    with client.session_transaction() as session:
        session[LAST_SEEN] = (utcnow() - timedelta(hours=2)).isoformat()
    response = client.get(f"/patients/{patient.id}/diary/history", headers=JSON)
    assert response.status_code == 401
    assert response.get_json()["reason"] == "session_expired"


def test_json_caller_with_a_bad_or_missing_csrf_token_gets_json_403(make, client, auth):
    patient = make.patient()
    _signed_in(client, auth, patient)
    bad = client.post(_entry_url(patient), json={"mood": 5}, headers={"X-CSRFToken": "forged"})
    assert bad.status_code == 403
    assert bad.get_json()["error"] == "forbidden"
    assert bad.get_json()["reason"] == "csrf_invalid"
    assert "expired" in bad.get_json()["message"]
    missing = client.post(_entry_url(patient), json={"mood": 5})
    assert missing.status_code == 403
    assert missing.get_json()["reason"] == "csrf_missing"


def test_json_caller_with_an_expired_csrf_token_gets_json_403(app, make, client, auth):
    patient = make.patient()
    token = _signed_in(client, auth, patient)
    limit = app.config["WTF_CSRF_TIME_LIMIT"]
    app.config["WTF_CSRF_TIME_LIMIT"] = 60
    try:
        with time_machine.travel(utcnow() + timedelta(minutes=5)):
            response = client.post(
                _entry_url(patient), json={"mood": 5}, headers={"X-CSRFToken": token}
            )
    finally:
        app.config["WTF_CSRF_TIME_LIMIT"] = limit
    assert response.status_code == 403
    assert response.get_json()["reason"] == "csrf_expired"


def test_browsers_still_get_pages_and_redirects(make, client, auth):
    patient = make.patient()
    anonymous = client.get(f"/patients/{patient.id}/diary/history")
    assert anonymous.status_code == 302 and "/auth/login" in anonymous.headers["Location"]
    _signed_in(client, auth, patient)
    response = client.post(_entry_url(patient), data={"mood": "5", "csrf_token": "forged"})
    assert response.status_code == 400
    assert response.mimetype == "text/html"
    assert "This form has expired" in response.get_data(as_text=True)


def test_json_callers_get_json_for_other_errors(make, client, auth):
    patient = make.patient()
    _signed_in(client, auth, patient)
    response = client.get(f"/patients/{make.patient().id}/diary/history", headers=JSON)
    assert response.status_code == 404
    assert response.get_json()["error"] == "not_found"


def test_a_nul_character_is_a_clear_400_and_saves_nothing(app, make, client, auth):
    patient = make.patient()
    token = _signed_in(client, auth, patient)
    url = f"/patients/{patient.id}/care-plan/comments"
    response = client.post(url, data={"body": "hello\x00", "csrf_token": token})
    assert response.status_code == 400
    assert "cannot be saved" in response.get_data(as_text=True)
    as_json = client.post(
        _entry_url(patient), json={"notes": "a\x00b"}, headers={"X-CSRFToken": token}
    )
    assert as_json.status_code == 400
    assert as_json.get_json()["reason"] == "nul_character"
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(CarePlanComment)) == 0
