"""The diary over the API: PUT (create, conditional change, idempotent repeat), GET, and the
refusals as problem documents, with nothing written."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from sqlalchemy import func, select

from app.db import db
from app.diary.models import DiaryEntry, DiaryRevision
from tests.conftest import csrf_from
from tests.factories import PASSWORD

NOW = datetime(2026, 11, 20, 15, 0, tzinfo=UTC)
YESTERDAY = (NOW.date() - timedelta(days=1)).isoformat()
PROBLEM = "application/problem+json"


def _counts(app) -> tuple[int, int]:
    with app.app_context():
        return (
            db.session.scalar(select(func.count()).select_from(DiaryEntry)),
            db.session.scalar(select(func.count()).select_from(DiaryRevision)),
        )


@pytest.fixture
def now():
    with time_machine.travel(NOW, tick=False):
        yield NOW


@pytest.fixture
def session(now, make, client, auth):
    """A signed-in patient, the diary URL for yesterday and the CSRF header."""
    patient = make.patient()
    assert auth.login(patient.user.email, PASSWORD).status_code == 302
    html = client.get(f"/patients/{patient.id}/diary/entry").get_data(as_text=True)
    headers = {"X-CSRFToken": csrf_from(html)}
    return patient, f"/api/v1/patients/{patient.id}/diary/{YESTERDAY}", headers


def test_put_creates_then_changes_only_at_the_named_version(app, client, session):
    _patient, url, headers = session
    created = client.put(url, json={"mood": 4, "overall_symptoms": 6}, headers=headers)
    assert created.status_code == 201, created.get_data(as_text=True)
    assert created.headers["ETag"] == '"1"'
    assert created.get_json()["values"]["mood"] == 4

    # An existing entry changes only with If-Match: none is 428, a stale one 412.
    required = client.put(url, json={"mood": 5}, headers=headers)
    assert required.status_code == 428 and required.mimetype == PROBLEM
    assert required.get_json()["current"]["version"] == 1
    changed = client.put(url, json={"mood": 5}, headers={**headers, "If-Match": '"1"'})
    assert changed.status_code == 200 and changed.headers["ETag"] == '"2"'
    stale = client.put(url, json={"mood": 7}, headers={**headers, "If-Match": '"1"'})
    assert stale.status_code == 412 and stale.mimetype == PROBLEM
    problem = stale.get_json()
    assert problem["current"]["values"]["mood"] == 5 and problem["current"]["version"] == 2
    assert stale.headers["ETag"] == '"2"'

    got = client.get(url)
    assert got.status_code == 200 and got.headers["ETag"] == '"2"'
    assert got.get_json()["values"]["mood"] == 5
    assert _counts(app) == (1, 2)


def test_the_same_idempotency_key_answers_the_same_without_a_second_write(app, client, session):
    _patient, url, headers = session
    keyed = {**headers, "Idempotency-Key": "phone-queue-17"}
    first = client.put(url, json={"mood": 3}, headers=keyed)
    again = client.put(url, json={"mood": 3}, headers=keyed)
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.headers["ETag"] == again.headers["ETag"] == '"1"'
    assert _counts(app) == (1, 1)
    other = client.put(url, json={"mood": 9}, headers={**keyed, "If-Match": '"1"'})
    assert other.status_code == 409 and other.mimetype == PROBLEM
    assert _counts(app) == (1, 1)


@pytest.mark.parametrize(
    ("day", "payload", "status", "field"),
    [
        (YESTERDAY, {"mood": 11}, 422, "mood"),
        (YESTERDAY, {"mood": "4"}, 422, "mood"),
        (YESTERDAY, {"colour": "blue"}, 422, None),
        (YESTERDAY, {"bedtime": "25:00"}, 422, "bedtime"),
        (YESTERDAY, {"symptom-nope": 3}, 422, "symptom-nope"),
        ("2026-13-01", {"mood": 4}, 400, "date"),
        ((NOW.date() + timedelta(days=1)).isoformat(), {"mood": 4}, 422, "date"),
        ((NOW.date() - timedelta(days=30)).isoformat(), {"mood": 4}, 422, "date"),
    ],
)
def test_bad_input_is_a_problem_and_nothing_is_written(
    app, client, session, day, payload, status, field
):
    patient, _url, headers = session
    url = f"/api/v1/patients/{patient.id}/diary/{day}"
    response = client.put(url, json=payload, headers=headers)
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == PROBLEM
    problem = response.get_json()
    assert problem["status"] == status and problem["title"]
    if field:
        assert any(field in e["field"] for e in problem["errors"]), problem
    assert _counts(app) == (0, 0)


def test_malformed_json_and_wrong_media_type_are_refused(app, client, session):
    _patient, url, headers = session
    bad = client.put(url, data="{mood: 4", headers={**headers, "Content-Type": "application/json"})
    assert bad.status_code == 400 and bad.mimetype == PROBLEM
    listed = client.put(url, json=[1, 2], headers=headers)
    assert listed.status_code == 400
    form = client.put(url, data={"mood": "4"}, headers=headers)
    assert form.status_code == 415
    assert _counts(app) == (0, 0)


def test_a_session_write_needs_the_csrf_header(app, client, session):
    _patient, url, _headers = session
    response = client.put(url, json={"mood": 4})
    assert response.status_code == 403 and response.mimetype == PROBLEM
    assert _counts(app) == (0, 0)


def test_the_title_is_in_the_callers_language(app, now, make, client, auth):
    patient = make.patient(locale="de")
    auth.login(patient.user.email, PASSWORD)
    html = client.get(f"/patients/{patient.id}/diary/entry").get_data(as_text=True)
    url = f"/api/v1/patients/{patient.id}/diary/{YESTERDAY}"
    response = client.put(url, json={"mood": 40}, headers={"X-CSRFToken": csrf_from(html)})
    assert response.status_code == 422
    assert response.headers["Content-Language"] == "de"
    assert response.get_json()["title"] == "Einige Werte sind ungültig."


def test_someone_elses_diary_is_not_found(app, make, client, session):
    _patient, _url, headers = session
    other = make.patient()
    url = f"/api/v1/patients/{other.id}/diary/{YESTERDAY}"
    assert client.put(url, json={"mood": 4}, headers=headers).status_code == 404
    assert client.get(url).status_code == 404
    assert _counts(app) == (0, 0)


def test_anonymous_callers_get_401(client, make):
    patient = make.patient()
    response = client.get(f"/api/v1/patients/{patient.id}/diary/{YESTERDAY}")
    assert response.status_code == 401 and response.mimetype == PROBLEM
    assert "Bearer" in response.headers["WWW-Authenticate"]
