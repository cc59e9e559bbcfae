"""Two requests racing to save the same diary day: the loser answers as a repeat, never 500."""

from __future__ import annotations

import threading
import uuid
from collections import Counter
from datetime import UTC, datetime

import pytest
import time_machine
from alembic import command
from sqlalchemy import func, select

from app import create_app
from app.careteam.models import ConsentScope
from app.cli import alembic_config
from app.db import db
from app.diary import queries, writes
from app.diary.models import CaregiverObservation, DiaryEntry, DiaryRevision
from tests import dbutil
from tests.conftest import Auth, csrf_from
from tests.factories import PASSWORD, Factory

NOW = datetime(2026, 11, 20, 15, 0, tzinfo=UTC)


def _counts(app) -> tuple[int, int]:
    with app.app_context():
        return (
            db.session.scalar(select(func.count()).select_from(DiaryEntry)),
            db.session.scalar(select(func.count()).select_from(DiaryRevision)),
        )


def _stale_once(monkeypatch, *names: str, module=queries, seen=None) -> list[str]:
    """The first call of each read answers `seen` (nothing): what a request saw before the
    winner committed."""
    calls: list[str] = []
    for name in names:
        real = getattr(module, name)

        def stale(*args, _name=name, _real=real, **kwargs):
            calls.append(_name)
            return seen if calls.count(_name) == 1 else _real(*args, **kwargs)

        monkeypatch.setattr(module, name, stale)
    return calls


def _stale_day(monkeypatch) -> list[str]:
    """The diary's one read (the day's entry and the submission id's revision) misses both."""
    return _stale_once(monkeypatch, "day_state", module=writes, seen=writes.DayState(None))


@time_machine.travel(NOW, tick=False)
def test_loser_of_a_race_on_the_same_submission_gets_the_winners_answer(
    app, make, client, auth, monkeypatch
):
    patient = make.patient()
    assert auth.login(patient.user.email, PASSWORD).status_code == 302
    url = f"/patients/{patient.id}/diary/quick"
    token = csrf_from(client.get(url).get_data(as_text=True))
    data = {"csrf_token": token, "submission_id": str(uuid.uuid4()), "mood": "3"}
    data |= {"overall_symptoms": "6", "sleep_quality": "2"}
    first = client.post(url, data=data)
    assert first.status_code == 302
    calls = _stale_day(monkeypatch)
    raced = client.post(url, data=data)
    assert calls.count("day_state") == 2, "the race was not simulated"
    assert raced.status_code == 302 and raced.location == first.location
    assert "Your diary for this day is saved." in client.get(raced.location).get_data(as_text=True)
    assert _counts(app) == (1, 1)


@time_machine.travel(NOW, tick=False)
def test_loser_of_a_json_race_gets_200_replayed_with_the_same_entry(
    app, make, client, auth, monkeypatch
):
    patient = make.patient()
    assert auth.login(patient.user.email, PASSWORD).status_code == 302
    url = f"/patients/{patient.id}/diary/entry"
    headers = {"X-CSRFToken": csrf_from(client.get(url).get_data(as_text=True))}
    payload = {"submission_id": str(uuid.uuid4()), "mood": 5, "triggers": ["travel"]}
    first = client.post(url, json=payload, headers=headers)
    assert first.status_code == 201
    _stale_day(monkeypatch)
    raced = client.post(url, json=payload, headers=headers)
    assert raced.status_code == 200
    assert raced.get_json() == {**first.get_json(), "replayed": True}
    assert _counts(app) == (1, 1)


@time_machine.travel(NOW, tick=False)
def test_two_tabs_racing_to_create_the_same_day_amend_it(app, make, client, auth, monkeypatch):
    patient = make.patient()
    assert auth.login(patient.user.email, PASSWORD).status_code == 302
    url = f"/patients/{patient.id}/diary/quick"
    token = csrf_from(client.get(url).get_data(as_text=True))
    base = {"csrf_token": token, "overall_symptoms": "6", "sleep_quality": "2"}
    assert client.post(url, data={**base, "submission_id": str(uuid.uuid4()), "mood": "3"})
    _stale_day(monkeypatch)
    other = client.post(url, data={**base, "submission_id": str(uuid.uuid4()), "mood": "8"})
    assert other.status_code == 302
    assert _counts(app) == (1, 2)
    with app.app_context():
        assert db.session.scalars(select(DiaryEntry)).one().mood == 8


@time_machine.travel(NOW, tick=False)
def test_loser_of_a_race_on_the_same_observation_gets_the_winners_answer(
    app, make, client, auth, monkeypatch
):
    patient = make.patient()
    observer, _ = make.caregiver(patient, [ConsentScope.SUBMIT_OBSERVATIONS])
    assert auth.login(observer.email, PASSWORD).status_code == 302
    url = f"/patients/{patient.id}/diary/observations"
    token = csrf_from(client.get(url).get_data(as_text=True))
    data = {"csrf_token": token, "submission_id": str(uuid.uuid4()), "symptom_level": "6"}
    data["date"] = NOW.date().isoformat()
    first = client.post(url, data=data)
    assert first.status_code == 302
    calls = _stale_once(monkeypatch, "observation_for_client_id")
    raced = client.post(url, data=data)
    assert calls.count("observation_for_client_id") == 2, "the race was not simulated"
    assert raced.status_code == 302 and raced.location == first.location
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(CaregiverObservation)) == 1


@pytest.mark.postgres
def test_twenty_concurrent_identical_posts_all_get_the_first_answer(tmp_path):
    if dbutil.backend() != "postgresql":
        reason = (
            "needs PostgreSQL (concurrent writers; SQLite serializes them with BEGIN IMMEDIATE)"
        )
        pytest.skip(reason)
    url = dbutil.new_database(str(tmp_path), "diary_race")
    app = create_app({"DATABASE_URL": url, "PROPAGATE_EXCEPTIONS": False})
    try:
        command.upgrade(alembic_config(url), "head")
        patient = Factory(app).patient()
        client = app.test_client()
        assert Auth(client).login(patient.user.email, PASSWORD).status_code == 302
        page = f"/patients/{patient.id}/diary/entry"
        headers = {"X-CSRFToken": csrf_from(client.get(page).get_data(as_text=True))}
        cookie = app.config.get("SESSION_COOKIE_NAME", "session")
        session = client.get_cookie(cookie).value
        payload = {"submission_id": str(uuid.uuid4()), "mood": 4, "stress": 6, "triggers": []}
        start = threading.Barrier(20)
        answers: list[tuple[int, dict | None]] = []

        def post() -> None:
            own = app.test_client()
            own.set_cookie(cookie, session)
            start.wait()
            response = own.post(page, json=payload, headers=headers)
            answers.append((response.status_code, response.get_json(silent=True)))

        threads = [threading.Thread(target=post) for _ in range(20)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
        statuses = Counter(status for status, _ in answers)
        assert statuses == {201: 1, 200: 19}, statuses
        ids = {body["id"] for _, body in answers if body}
        assert len(ids) == 1
        assert _counts(app) == (1, 1)
    finally:
        app.extensions["heed.engine"].dispose()
        dbutil.drop_database(url)
