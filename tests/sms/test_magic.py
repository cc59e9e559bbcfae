"""Magic links: one task, once, until they expire; nothing else is opened."""

from __future__ import annotations

from datetime import date, timedelta

from app.db import db, utcnow
from app.prompts.models import PromptPurpose
from app.sms import magic
from tests.conftest import csrf_from
from tests.prompts.kinds import swap_kind


def issue(app, patient, *, purpose=PromptPurpose.DIARY_REMINDER, target="diary", lifetime=60):
    with app.app_context():
        raw, link = magic.new_link(
            user_id=patient.user_id,
            patient_id=patient.id,
            purpose=purpose,
            target=target,
            local_date=date(2026, 6, 1),
            expires_at=utcnow() + timedelta(minutes=lifetime),
        )
        db.session.add(link)
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
    day_page = f"/patients/{patient.id}/diary/quick/2026-06-01"
    assert response.status_code == 302
    assert response.headers["Location"] == day_page
    assert client.get(day_page).status_code == 200  # the task opens without a password
    assert client.get(f"/patients/{patient.id}/diary/entry/2026-06-01").status_code == 200
    # It grants nothing else: any other page ends the task session and asks for a password.
    other = client.get(f"/patients/{patient.id}")
    assert other.status_code == 302
    assert "/auth/login" in other.headers["Location"]
    assert client.get(day_page).status_code == 302  # the restricted session is over
    reused = open_link(client, raw)
    assert reused.status_code == 410
    assert "cannot be used" in reused.get_data(as_text=True)


def test_a_link_for_another_day_does_not_open_today(app, make, client):
    patient = make.patient()
    open_link(client, issue(app, patient))
    response = client.get(f"/patients/{patient.id}/diary/quick/2026-06-02")
    assert response.status_code == 302
    assert "/auth/login" in response.headers["Location"]


def test_previsit_link_opens_the_diary_of_the_eve(app, make, client):
    patient = make.patient()
    raw = issue(app, patient, purpose=PromptPurpose.PREVISIT_CHECKIN, target="visit-1")
    response = open_link(client, raw)
    assert response.headers["Location"] == f"/patients/{patient.id}/diary/quick/2026-06-01"


def test_expired_and_unknown_links_are_refused(app, make, client):
    patient = make.patient()
    expired = issue(app, patient, lifetime=-1)
    assert open_link(client, expired).status_code == 410
    assert open_link(client, "not-a-token").status_code == 410
    assert client.get("/m/task").status_code in (302, 404)


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


def test_the_prompt_kind_decides_where_the_link_goes(app, make, client, monkeypatch):
    patient = make.patient()
    swap_kind(
        app, monkeypatch, PromptPurpose.DIARY_REMINDER, landing=lambda g: f"/diary/{g.local_date}"
    )
    response = open_link(client, issue(app, patient))
    assert response.headers["Location"] == "/diary/2026-06-01"


def test_the_link_post_needs_csrf(app, make, client):
    raw = issue(app, make.patient())
    assert client.post(f"/m/{raw}").status_code == 400
    assert open_link(client, raw).status_code == 302  # still unused


def test_a_task_session_cannot_read_the_patients_own_messages(app, make, client):
    patient = make.patient()
    open_link(client, issue(app, patient))
    response = client.get(f"/patients/{patient.id}/messages")
    assert response.status_code == 302
    assert "/auth/login" in response.headers["Location"]
    assert client.get(f"/patients/{patient.id}/diary/quick/2026-06-01").status_code == 302


def _other_pages(app, patient_id: str) -> list[str]:
    """Every GET page that takes a patient id, filled with this patient and dummy refs."""
    dummy = "00000000-0000-0000-0000-000000000000"
    urls = []
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or "patient_id" not in rule.arguments:
            continue
        if rule.endpoint in {"diary.entry", "diary.quick"}:
            continue  # the task's own pages
        fill = {"patient_id": patient_id, "day": "2026-06-02", "fmt": "json"}
        values = {name: fill.get(name, dummy) for name in rule.arguments}
        with app.test_request_context():
            urls.append(app.url_for(rule.endpoint, **values))
    return urls


def test_a_task_session_opens_no_other_page_of_its_patient(app, make, client):
    patient = make.patient()
    pages = [
        *_other_pages(app, str(patient.id)),
        "/",
        f"/patients/{patient.id}/diary/quick/2026-06-02",
    ]
    assert f"/patients/{patient.id}/messages" in pages
    for url in pages:
        open_link(client, issue(app, patient))
        response = client.get(url)
        assert response.status_code == 302, url
        assert "/auth/login" in response.headers["Location"], url
        assert client.get(f"/patients/{patient.id}/diary/quick/2026-06-01").status_code == 302


def test_a_json_caller_leaving_the_task_gets_json_401(app, make, client):
    patient = make.patient()
    open_link(client, issue(app, patient))
    response = client.get(
        f"/patients/{patient.id}/messages", headers={"Accept": "application/json"}
    )
    assert response.status_code == 401
    assert response.get_json()["reason"] == "password_required"
    assert client.get(f"/patients/{patient.id}/diary/quick/2026-06-01").status_code == 302
