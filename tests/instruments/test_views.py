"""Answering, assigning and check-ins through the pages; bad input shows an error and writes nothing."""

from __future__ import annotations

import re

from sqlalchemy import func, select

from app.audit import AuditEvent
from app.careteam.models import ConsentScope, Patient
from app.db import db
from app.instruments.models import Assignment, CaregiverCheckin, Response
from tests.conftest import csrf_from
from tests.factories import PASSWORD
from tests.instruments.conftest import build

ALL_ONES = {f"item_{i}": "1" for i in range(1, 10)} | {"item_difficulty": "1"}


def _form(client, url):
    html = client.get(url).get_data(as_text=True)
    key = re.search(r'name="submission_key" type="hidden" value="([^"]+)"', html)
    return html, {"csrf_token": csrf_from(html), "submission_key": key.group(1) if key else ""}


def _responses(app) -> list[Response]:
    with app.app_context():
        return list(db.session.scalars(select(Response)))


def test_patient_sees_due_questionnaire_on_home(app, client, auth, setup):
    auth.login(setup.patient.user.email, PASSWORD)
    html = client.get("/").get_data(as_text=True)
    assert 'id="due-heading"' in html
    assert setup.answer_url in html


def test_one_question_per_screen_then_submit(app, client, auth, setup):
    auth.login(setup.patient.user.email, PASSWORD)
    for step in range(10):
        url = f"{setup.answer_url}?step={step}"
        html, base = _form(client, url)
        assert html.count('type="radio"') in (4,)
        field = f"item_{step + 1}" if step < 9 else "item_difficulty"
        response = client.post(url, data={**base, field: "1", "action": "next"})
        assert response.status_code == 302, step
        assert response.headers["Location"].endswith(f"step={step + 1}")
    html, base = _form(client, f"{setup.answer_url}?step=10")
    done = client.post(f"{setup.answer_url}?step=10", data={**base, "action": "submit"})
    assert done.status_code == 302 and done.headers["Location"].endswith("/done")
    [saved] = _responses(app)
    assert saved.total == 9 and saved.band == "mild" and saved.critical
    assert saved.answers["difficulty"] == 1


def test_one_page_save_resume_and_idempotent_submit(app, client, auth, setup):
    auth.login(setup.patient.user.email, PASSWORD)
    url = f"{setup.answer_url}?mode=page"
    _, base = _form(client, url)
    partial = {"item_1": "2", "item_2": "3"}
    assert client.post(url, data={**base, **partial, "action": "save"}).status_code == 302
    html, base = _form(client, url)
    assert '<input checked id="item_2-3"' in html  # resumed: the saved answer is selected
    answers = {**ALL_ONES, "item_9": "0"}
    first = client.post(url, data={**base, **answers, "action": "submit"})
    again = client.post(url, data={**base, **answers, "action": "submit"})
    assert first.status_code == 302 and again.status_code == 302
    [saved] = _responses(app)
    assert saved.total == 8 and not saved.critical and saved.submitted_at is not None
    # Another submission (a new key) is refused, and nothing changes.
    other = {**base, "submission_key": "00000000-0000-4000-8000-000000000001"}
    refused = client.post(url, data={**other, **ALL_ONES, "action": "submit"})
    assert refused.status_code in (302, 409)
    assert _responses(app)[0].total == 8
    assert client.get(setup.answer_url).status_code == 302  # completed: sent to confirmation


def test_incomplete_submission_asks_first_then_sends_without_a_total(app, client, auth, setup):
    auth.login(setup.patient.user.email, PASSWORD)
    url = setup.answer_url  # the whole form (one question per screen is the script's doing)
    html, base = _form(client, url)
    assert "data-one-question" in html and html.count('class="question"') == 10
    asked = client.post(url, data={**base, "item_1": "2", "item_3": "1", "action": "submit"})
    assert asked.status_code == 200
    page = asked.get_data(as_text=True)
    assert "8 questions have no answer yet" in page
    assert '<input checked id="item_1-2"' in page and '<input checked id="item_3-1"' in page
    assert 'href="#question-item_2"' in page and 'id="question-item_2"' in page
    assert 'href="#question-item_difficulty"' in page and 'href="#question-item_1"' not in page
    assert ">Answer them</a>" in page
    assert 'form="answer-form" name="action" value="send_incomplete"' in page
    [draft] = _responses(app)  # kept as a draft while the patient decides: nothing sent
    assert draft.submitted_at is None and draft.answers == {"1": 2, "3": 1}
    _, base = _form(client, url)
    sent = client.post(url, data={**base, "action": "send_incomplete"})
    assert sent.status_code == 302 and sent.headers["Location"].endswith("/done")
    [saved] = _responses(app)
    assert saved.submitted_at is not None and saved.total is None and saved.band is None
    assert saved.answers == {"1": 2, "3": 1}


def test_answering_the_rest_after_the_question_sends_it(app, client, auth, setup):
    auth.login(setup.patient.user.email, PASSWORD)
    _, base = _form(client, setup.answer_url)
    partial = {k: v for k, v in ALL_ONES.items() if k != "item_difficulty"}
    asked = client.post(setup.answer_url, data={**base, **partial, "action": "submit"})
    assert "1 question has no answer yet" in asked.get_data(as_text=True)
    _, base = _form(client, setup.answer_url)
    sent = client.post(setup.answer_url, data={**base, **ALL_ONES, "action": "submit"})
    assert sent.status_code == 302
    [saved] = _responses(app)
    assert saved.total == 9 and saved.submitted_at is not None


def test_one_question_mode_review_lists_skipped_questions(app, client, auth, setup):
    auth.login(setup.patient.user.email, PASSWORD)
    for step, field in ((0, "item_1"), (1, None)):
        _, base = _form(client, f"{setup.answer_url}?step={step}")
        answer = {field: "1"} if field else {}
        client.post(f"{setup.answer_url}?step={step}", data={**base, **answer, "action": "next"})
    review, base = _form(client, f"{setup.answer_url}?step=10")
    assert "9 questions have no answer yet" in review
    assert f'href="{setup.answer_url}?step=1"' in review  # question 2 is on step 1
    assert f'href="{setup.answer_url}?step=9"' in review
    assert _responses(app)[0].submitted_at is None
    sent = client.post(f"{setup.answer_url}?step=10", data={**base, "action": "send_incomplete"})
    assert sent.status_code == 302 and sent.headers["Location"].endswith("/done")
    assert _responses(app)[0].submitted_at is not None


def test_bad_answers_show_an_error_and_write_nothing(app, client, auth, setup):
    auth.login(setup.patient.user.email, PASSWORD)
    url = f"{setup.answer_url}?mode=page"
    for bad in ({"item_1": "7"}, {"item_1": "-1"}, {"item_42": "1"}, {"item_1": "many"}):
        _, base = _form(client, url)
        response = client.post(url, data={**base, **ALL_ONES, **bad, "action": "submit"})
        assert response.status_code == 400, bad
        assert 'class="error-summary"' in response.get_data(as_text=True)
    assert _responses(app) == []


def test_missing_csrf_or_key_writes_nothing(app, client, auth, setup):
    auth.login(setup.patient.user.email, PASSWORD)
    url = f"{setup.answer_url}?mode=page"
    assert client.post(url, data={**ALL_ONES, "action": "submit"}).status_code in (400, 302)
    _, base = _form(client, url)
    no_key = {**base, "submission_key": "", **ALL_ONES, "action": "submit"}
    assert client.post(url, data=no_key).status_code == 400
    assert _responses(app) == []


def test_expired_window_is_shown_as_missed_and_refuses_answers(app, client, auth, setup):
    from datetime import timedelta

    import time_machine

    from app.db import utcnow

    auth.login(setup.patient.user.email, PASSWORD)
    _, base = _form(client, f"{setup.answer_url}?mode=page")
    with time_machine.travel(utcnow() + timedelta(days=5)):
        auth.login(setup.patient.user.email, PASSWORD)
        base["csrf_token"] = auth.token("/")
        response = client.post(
            f"{setup.answer_url}?mode=page", data={**base, **ALL_ONES, "action": "submit"}
        )
        assert response.status_code == 410
        assert client.get(setup.answer_url).status_code == 410
    assert _responses(app) == []


def test_someone_elses_questionnaire_is_not_found(app, make, client, auth, setup):
    other = build(app, make)
    auth.login(setup.patient.user.email, PASSWORD)
    # Their occurrence under my patient id, and my occurrence under their patient id.
    mine_with_theirs = f"/patients/{setup.patient.id}/questionnaires/{other.occurrence_id}"
    theirs = other.answer_url
    assert client.get(mine_with_theirs).status_code == 404
    assert client.get(theirs).status_code == 404
    token = auth.token()
    assert client.post(theirs, data={"csrf_token": token, **ALL_ONES}).status_code == 404
    assert _responses(app) == []


def test_language_substitution_is_visible_to_the_clinician(app, make, client, auth):
    # German has no official PHQ-9 text (Spanish and French do: see test_translations.py).
    s = build(app, make, locale="de", readable=["en"])
    auth.login(s.patient.user.email, PASSWORD)
    url = f"{s.answer_url}?mode=page"
    html, base = _form(client, url)
    assert '<div lang="en"' in html and 'class="card notice"' in html
    client.post(url, data={**base, **ALL_ONES, "item_9": "0", "action": "submit"})
    [saved] = _responses(app)
    assert (saved.locale, saved.preferred_locale, saved.substituted) == ("en", "de", True)
    auth.logout()
    auth.login(s.clinician.email, PASSWORD)
    record = client.get(f"/patients/{s.patient.id}").get_data(as_text=True)
    assert 'id="scores-heading"' in record and "8 / 27" in record
    assert record.count('class="flag"') >= 1  # the substitution note


def test_no_readable_language_explains_and_writes_nothing(app, make, client, auth):
    s = build(app, make, locale="pt", readable=[])
    auth.login(s.patient.user.email, PASSWORD)
    assert client.get(s.answer_url).status_code == 409
    token = auth.token()
    response = client.post(s.answer_url, data={"csrf_token": token, **ALL_ONES, "action": "next"})
    assert response.status_code == 409
    assert _responses(app) == []


def test_clinician_assigns_and_edits_a_schedule(app, client, auth, setup):
    auth.login(setup.clinician.email, PASSWORD)
    url = f"/patients/{setup.patient.id}/questionnaires/assign"
    html = client.get(url).get_data(as_text=True)
    data = {
        "csrf_token": csrf_from(html),
        "instrument": "gad7",
        "schedule_kind": "weekly",
        "start_date": "2026-01-05",
        "window_days": "3",
    }
    bad = client.post(url, data=data)  # weekly without weekdays
    assert bad.status_code == 400
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Assignment)) == 1
    assert client.post(url, data={**data, "weekdays": ["0", "3"]}).status_code == 302
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Assignment)) == 2
    edit = f"/patients/{setup.patient.id}/assignments/{setup.assignment_id}"
    assert client.get(edit).status_code == 200
    status = client.post(f"{edit}/status", data={"csrf_token": csrf_from(html), "status": "paused"})
    assert status.status_code == 302
    with app.app_context():
        assert (
            db.session.get(Assignment, __import__("uuid").UUID(setup.assignment_id)).status
            == "paused"
        )


def test_caregiver_checkin_is_labelled_and_kept_apart(app, make, client, auth, setup):
    caregiver, _ = make.caregiver(setup.patient, [ConsentScope.RECEIVE_CHECKINS])
    auth.login(caregiver.email, PASSWORD)
    url = f"/patients/{setup.patient.id}/checkins/new"
    html, base = _form(client, url)
    assert 'class="card notice"' in html
    bad = client.post(
        url, data={**base, "observed_function": "11", "observed_activity": "3", "own_strain": "4"}
    )
    assert bad.status_code == 400
    data = {**base, "observed_function": "6", "observed_activity": "3", "own_strain": "8"}
    assert client.post(url, data=data).status_code == 302
    assert client.post(url, data=data).status_code == 302  # same key: no second row
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(CaregiverCheckin)) == 1
    assert _responses(app) == []


def test_caregiver_finds_the_checkin_on_home_and_record_only_with_a_scope(
    app, make, client, auth, setup
):
    checkin = f'href="/patients/{setup.patient.id}/checkins/new"'
    caregiver, _ = make.caregiver(setup.patient, [ConsentScope.RECEIVE_CHECKINS])
    auth.login(caregiver.email, PASSWORD)
    assert checkin in client.get("/").get_data(as_text=True)
    assert checkin in client.get(f"/patients/{setup.patient.id}").get_data(as_text=True)
    auth.logout()
    viewer, _ = make.caregiver(setup.patient, [ConsentScope.VIEW_SCORES])
    auth.login(viewer.email, PASSWORD)
    assert checkin not in client.get("/").get_data(as_text=True)
    assert checkin not in client.get(f"/patients/{setup.patient.id}").get_data(as_text=True)
    auth.logout()
    auth.login(setup.patient.user.email, PASSWORD)  # the patient does not send check-ins
    assert checkin not in client.get(f"/patients/{setup.patient.id}").get_data(as_text=True)


def test_clinician_records_whether_the_phq15_period_item_applies(app, make, client, auth):
    s = build(app, make, instrument="phq15")
    patient_page = f"{s.answer_url}?mode=page"
    url = f"/patients/{s.patient.id}/questionnaires/period-item"
    auth.login(s.clinician.email, PASSWORD)
    html = client.get(f"/patients/{s.patient.id}/questionnaires/assign").get_data(as_text=True)
    assert '<input checked id="applies-0"' in html  # not recorded yet
    token = csrf_from(html)

    bad = client.post(url, data={"csrf_token": token, "applies": "maybe"})
    assert bad.status_code == 400
    assert "Not a valid choice" in bad.get_data(as_text=True)
    assert client.post(url, data={"csrf_token": token}).status_code == 400
    saved = client.post(url, data={"csrf_token": token, "applies": "not_applicable"})
    assert saved.status_code == 302
    with app.app_context():
        assert db.session.get(Patient, s.patient.id).menstruates is False
        events = db.session.scalars(
            select(AuditEvent.action).where(AuditEvent.action == "instruments.period_item")
        ).all()
        assert events == ["instruments.period_item"]
    html = client.get(f"/patients/{s.patient.id}/questionnaires/assign").get_data(as_text=True)
    assert '<input checked id="applies-2"' in html
    # Saving the same value again changes nothing and records nothing.
    client.post(url, data={"csrf_token": token, "applies": "not_applicable"})
    with app.app_context():
        count = select(func.count()).where(AuditEvent.action == "instruments.period_item")
        assert db.session.scalar(count) == 1

    def item_4_asked() -> bool:
        auth.logout()
        auth.login(s.patient.user.email, PASSWORD)
        page = client.get(patient_page)
        assert page.status_code == 200
        auth.logout()
        auth.login(s.clinician.email, PASSWORD)
        return 'name="item_4"' in page.get_data(as_text=True)

    assert not item_4_asked()
    token = csrf_from(client.get(f"/patients/{s.patient.id}/questionnaires/assign").text)
    assert client.post(url, data={"csrf_token": token, "applies": "applies"}).status_code == 302
    assert item_4_asked()


def test_the_text_message_link_asks_about_unanswered_items_too(app, client, setup):
    from datetime import timedelta

    from app.db import utcnow
    from app.prompts.models import PromptPurpose
    from app.sms import magic

    with app.app_context():
        raw, link = magic.new_link(
            user_id=setup.patient.user_id,
            patient_id=setup.patient.id,
            purpose=PromptPurpose.QUESTIONNAIRE_DUE,
            target=setup.occurrence_id,
            local_date=utcnow().date(),
            expires_at=utcnow() + timedelta(hours=1),
        )
        db.session.add(link)
        db.session.commit()
    landing = client.get(f"/m/{raw}")
    opened = client.post(
        f"/m/{raw}", data={"csrf_token": csrf_from(landing.get_data(as_text=True))}
    )
    assert opened.headers["Location"] == setup.answer_url  # the same form as signed in
    _, base = _form(client, setup.answer_url)
    asked = client.post(setup.answer_url, data={**base, "item_1": "1", "action": "submit"})
    assert asked.status_code == 200
    assert "9 questions have no answer yet" in asked.get_data(as_text=True)
    _, base = _form(client, setup.answer_url)
    sent = client.post(setup.answer_url, data={**base, "action": "send_incomplete"})
    assert sent.status_code == 302 and sent.headers["Location"].endswith("/done")
    assert client.get(sent.headers["Location"]).status_code == 200
    [saved] = _responses(app)
    assert saved.submitted_at is not None and saved.total is None
