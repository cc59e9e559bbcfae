"""Magic links: one task, once, until they expire; nothing else is opened."""

from __future__ import annotations

from datetime import date, timedelta

from app.db import db, utcnow
from app.prompts.models import PromptPurpose
from app.sms import magic
from tests.conftest import csrf_from


def issue(app, patient, *, purpose=PromptPurpose.DIARY_REMINDER, target="diary", lifetime=60):
    with app.app_context():
        raw = magic.issue(
            user_id=patient.user_id,
            patient_id=patient.id,
            purpose=purpose,
            target=target,
            local_date=date(2026, 6, 1),
            expires_at=utcnow() + timedelta(minutes=lifetime),
        )
        db.session.commit()
        return raw


def open_link(client, raw: str):
    page = client.get(f"/m/{raw}")
    if page.status_code != 200:
        return page
    return client.post(f"/m/{raw}", data={"csrf_token": csrf_from(page.get_data(as_text=True))})


def test_link_opens_exactly_its_task_once(app, make, client):
    patient = make.patient()
    raw = issue(app, patient)
    response = open_link(client, raw)
    assert response.status_code == 302 and response.headers["Location"] == "/m/task"
    assert "Diary reminder" in client.get("/m/task").get_data(as_text=True)
    with client.session_transaction() as session:
        assert "_user_id" not in session  # not signed in
    # It grants nothing else: the record and other pages still ask for a password.
    assert client.get(f"/patients/{patient.id}").status_code == 302
    assert "/auth/login" in client.get("/").headers.get("Location", "/auth/login")
    reused = open_link(client, raw)
    assert reused.status_code == 410
    assert "cannot be used" in reused.get_data(as_text=True)


def test_expired_and_unknown_links_are_refused(app, make, client):
    patient = make.patient()
    expired = issue(app, patient, lifetime=-1)
    assert open_link(client, expired).status_code == 410
    assert open_link(client, "not-a-token").status_code == 410
    assert client.get("/m/task").status_code == 404


def test_a_grant_is_bound_to_one_task(app, make, client):
    patient = make.patient()
    raw = issue(app, patient, purpose=PromptPurpose.QUESTIONNAIRE_DUE, target="assignment-1")
    open_link(client, raw)
    with app.test_request_context():
        from flask import session

        with client.session_transaction() as stored:
            session.update(stored)
        assert magic.task_grant_for(PromptPurpose.QUESTIONNAIRE_DUE, "assignment-1") is not None
        assert magic.task_grant_for(PromptPurpose.QUESTIONNAIRE_DUE, "assignment-2") is None
        assert magic.task_grant_for(PromptPurpose.DIARY_REMINDER, "diary") is None


def test_registered_resolver_decides_where_the_link_goes(app, make, client):
    patient = make.patient()
    magic.register_task_resolver(PromptPurpose.DIARY_REMINDER, lambda g: f"/diary/{g.local_date}")
    try:
        response = open_link(client, issue(app, patient))
    finally:
        magic.unregister_task_resolver(PromptPurpose.DIARY_REMINDER)
    assert response.headers["Location"] == "/diary/2026-06-01"


def test_the_link_post_needs_csrf(app, make, client):
    raw = issue(app, make.patient())
    assert client.post(f"/m/{raw}").status_code == 400
    assert open_link(client, raw).status_code == 302  # still unused
