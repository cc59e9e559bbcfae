"""Diary pages through HTTP: saving, refusing, idempotency over the wire, time zones, access."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta

import time_machine
from sqlalchemy import func, select

from app.audit import AuditEvent
from app.careteam.models import ConsentScope
from app.db import db
from app.diary.models import CaregiverObservation, DiaryEntry, DiaryRevision
from tests.conftest import csrf_from
from tests.factories import PASSWORD

NOW = datetime(2026, 11, 20, 15, 0, tzinfo=UTC)
TODAY = NOW.date()


def _counts(app) -> tuple[int, int]:
    with app.app_context():
        return (
            db.session.scalar(select(func.count()).select_from(DiaryEntry)),
            db.session.scalar(select(func.count()).select_from(DiaryRevision)),
        )


def _signed_in_patient(make, auth, **kw):
    patient = make.patient(**kw)
    assert auth.login(patient.user.email, PASSWORD).status_code == 302
    return patient


def _form(client, url: str) -> dict[str, str]:
    html = client.get(url).get_data(as_text=True)
    return {"csrf_token": csrf_from(html), "submission_id": str(uuid.uuid4())}


@time_machine.travel(NOW, tick=False)
def test_full_entry_saves_and_form_shows_it_again(app, make, client, auth):
    patient = _signed_in_patient(make, auth)
    url = f"/patients/{patient.id}/diary/entry"
    page = client.get(url)
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert 'name="submission_id"' in html and "data-client-id" in html
    assert 'style="' not in html and "<style" not in html
    data = {**_form(client, url), "mood": "4", "symptom-pain": "6", "notes": "A note"}
    response = client.post(url, data=data)
    assert response.status_code == 302
    assert _counts(app) == (1, 1)
    html = client.get(f"{url}/{TODAY.isoformat()}").get_data(as_text=True)
    assert 'id="mood-4" value="4" checked' in html
    assert "A note" in html


@time_machine.travel(NOW, tick=False)
def test_bad_input_shows_errors_and_saves_nothing(app, make, client, auth):
    patient = _signed_in_patient(make, auth)
    url = f"/patients/{patient.id}/diary/entry"
    data = {**_form(client, url), "mood": "12", "bedtime": "03:00", "wake_time": "02:00"}
    response = client.post(url, data=data)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert 'id="mood-error"' in html and 'id="wake_time-error"' in html
    assert 'class="error-summary"' in html
    assert _counts(app) == (0, 0)


TOO_LONG = "x" * 2001
TOO_LONG_ERROR = "Notes can be at most 2000 characters (you wrote 2001)."


@time_machine.travel(NOW, tick=False)
def test_too_long_notes_in_the_form_are_refused_and_nothing_is_saved(app, make, client, auth):
    patient = _signed_in_patient(make, auth)
    url = f"/patients/{patient.id}/diary/entry"
    response = client.post(url, data={**_form(client, url), "mood": "4", "notes": TOO_LONG})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert 'id="notes-error"' in html and TOO_LONG_ERROR in html
    assert _counts(app) == (0, 0)


@time_machine.travel(NOW, tick=False)
def test_too_long_notes_in_json_are_refused_and_nothing_is_saved(app, make, client, auth):
    patient = _signed_in_patient(make, auth)
    url = f"/patients/{patient.id}/diary/entry"
    headers = {"X-CSRFToken": _form(client, url)["csrf_token"]}
    payload = {"submission_id": str(uuid.uuid4()), "mood": 4, "notes": TOO_LONG}
    response = client.post(url, json=payload, headers=headers)
    assert response.status_code == 422
    assert response.get_json() == {"errors": {"notes": TOO_LONG_ERROR}}
    assert _counts(app) == (0, 0)


@time_machine.travel(NOW, tick=False)
def test_too_long_observation_note_is_refused_and_nothing_is_saved(app, make, client, auth):
    patient = make.patient()
    observer, _ = make.caregiver(patient, [ConsentScope.SUBMIT_OBSERVATIONS])
    auth.login(observer.email, PASSWORD)
    url = f"/patients/{patient.id}/diary/observations"
    data = {**_form(client, url), "date": TODAY.isoformat(), "symptom_level": "6"}
    response = client.post(url, data={**data, "note": TOO_LONG})
    assert response.status_code == 422
    assert TOO_LONG_ERROR in response.get_data(as_text=True)
    with app.app_context():
        count = select(func.count()).select_from(CaregiverObservation)
        assert db.session.scalar(count) == 0


@time_machine.travel(NOW, tick=False)
def test_smuggled_patient_id_is_refused(app, make, client, auth):
    patient = _signed_in_patient(make, auth)
    other = make.patient()
    url = f"/patients/{patient.id}/diary/quick"
    data = {**_form(client, url), "mood": "4", "patient_id": str(other.id)}
    response = client.post(url, data=data)
    assert response.status_code == 422
    assert 'class="error-summary"' in response.get_data(as_text=True)
    assert _counts(app) == (0, 0)


@time_machine.travel(NOW, tick=False)
def test_future_and_too_old_dates_are_refused(app, make, client, auth):
    patient = _signed_in_patient(make, auth)
    base = f"/patients/{patient.id}/diary/quick"
    token = _form(client, base)
    for day in (TODAY + timedelta(days=1), TODAY - timedelta(days=8)):
        response = client.post(f"{base}/{day.isoformat()}", data={**token, "mood": "3"})
        assert response.status_code == 422
    assert client.get(f"{base}/{(TODAY + timedelta(days=1)).isoformat()}").status_code == 404
    assert client.get(f"{base}/not-a-date").status_code == 404
    back = client.post(
        f"{base}/{(TODAY - timedelta(days=7)).isoformat()}", data={**token, "mood": "3"}
    )
    assert back.status_code == 302
    assert _counts(app) == (1, 1)


@time_machine.travel(NOW, tick=False)
def test_json_submission_is_idempotent_and_conflicts_are_409(app, make, client, auth):
    patient = _signed_in_patient(make, auth)
    url = f"/patients/{patient.id}/diary/entry"
    token = _form(client, url)["csrf_token"]
    headers = {"X-CSRFToken": token}
    payload = {"submission_id": str(uuid.uuid4()), "mood": 5, "triggers": ["travel"]}
    first = client.post(url, json=payload, headers=headers)
    assert first.status_code == 201
    again = client.post(url, json=payload, headers=headers)
    assert again.status_code == 200
    assert again.get_json()["id"] == first.get_json()["id"]
    assert again.get_json()["replayed"] is True
    conflict = client.post(url, json={**payload, "mood": 2}, headers=headers)
    assert conflict.status_code == 409
    assert conflict.get_json()["errors"]["submission_id"]
    invalid = client.post(
        url, json={**payload, "submission_id": str(uuid.uuid4()), "mood": 99}, headers=headers
    )
    assert invalid.status_code == 422 and "mood" in invalid.get_json()["errors"]
    assert _counts(app) == (1, 1)
    with app.app_context():
        assert db.session.scalars(select(DiaryEntry)).one().mood == 5


@time_machine.travel(NOW, tick=False)
def test_repeated_form_post_is_one_save(app, make, client, auth):
    patient = _signed_in_patient(make, auth)
    url = f"/patients/{patient.id}/diary/quick"
    data = {**_form(client, url), "overall_symptoms": "8", "mood": "2", "sleep_quality": "1"}
    assert client.post(url, data=data).status_code == 302
    assert client.post(url, data=data).status_code == 302
    assert _counts(app) == (1, 1)
    conflict = client.post(url, data={**data, "mood": "7"})
    assert conflict.status_code == 409
    assert _counts(app) == (1, 1)


@time_machine.travel(datetime(2026, 11, 20, 11, 0, tzinfo=UTC), tick=False)
def test_diary_day_is_the_patients_local_date(app, make, client, auth):
    # 11:00 UTC is already 01:00 on 21 November in Kiritimati (UTC+14).
    patient = _signed_in_patient(make, auth, timezone="Pacific/Kiritimati")
    url = f"/patients/{patient.id}/diary/quick"
    assert client.post(url, data={**_form(client, url), "mood": "5"}).status_code == 302
    with app.app_context():
        assert db.session.scalars(select(DiaryEntry.local_date)).one() == date(2026, 11, 21)


@time_machine.travel(NOW, tick=False)
def test_caregiver_scopes(app, make, client, auth):
    patient = make.patient()
    viewer, _ = make.caregiver(patient, [ConsentScope.VIEW_DIARY_SUMMARY])
    observer, _ = make.caregiver(patient, [ConsentScope.SUBMIT_OBSERVATIONS])
    auth.login(viewer.email, PASSWORD)
    assert client.get(f"/patients/{patient.id}/diary/history").status_code == 200
    assert client.get(f"/patients/{patient.id}/diary/entry").status_code == 404
    assert client.get(f"/patients/{patient.id}/diary/observations").status_code == 404
    assert "diary-summary-heading" in client.get(f"/patients/{patient.id}").get_data(as_text=True)
    auth.logout()
    auth.login(observer.email, PASSWORD)
    assert client.get(f"/patients/{patient.id}/diary/history").status_code == 404
    assert "diary-summary-heading" not in client.get(f"/patients/{patient.id}").get_data(
        as_text=True
    )
    url = f"/patients/{patient.id}/diary/observations"
    data = {**_form(client, url), "date": TODAY.isoformat(), "symptom_level": "6"}
    assert client.post(url, data=data).status_code == 302
    bad = client.post(
        url, data={**data, "submission_id": str(uuid.uuid4()), "activity_level": "11"}
    )
    assert bad.status_code == 422
    with app.app_context():
        observation = db.session.scalars(select(CaregiverObservation)).one()
        assert observation.observer_role == "caregiver" and observation.symptom_level == 6
        assert db.session.scalar(select(func.count()).select_from(DiaryEntry)) == 0


@time_machine.travel(NOW, tick=False)
def test_reads_and_writes_are_audited(app, make, client, auth):
    patient = _signed_in_patient(make, auth)
    url = f"/patients/{patient.id}/diary/quick"
    client.post(url, data={**_form(client, url), "mood": "5"})
    client.get(f"/patients/{patient.id}/diary/history")
    with app.app_context():
        actions = set(
            db.session.scalars(select(AuditEvent.action).where(AuditEvent.patient_id == patient.id))
        )
    assert {"patient.write_diary", "diary.entry_create", "patient.view_diary"} <= actions


@time_machine.travel(NOW, tick=False)
def test_home_card_and_convenience_route(app, make, client, auth):
    patient = _signed_in_patient(make, auth)
    home = client.get("/").get_data(as_text=True)
    assert 'id="diary-heading"' in home
    assert f"/patients/{patient.id}/diary/quick" in home
    redirect = client.get("/diary/quick")
    assert redirect.headers["Location"].endswith(f"/patients/{patient.id}/diary/quick")
    auth.logout()
    auth.login(make.clinician().email, PASSWORD)
    assert client.get("/diary").status_code == 404


@time_machine.travel(NOW, tick=False)
def test_history_and_patterns_pages_render_in_arabic_mirrored(app, make, client, auth):
    patient = _signed_in_patient(make, auth, locale="ar")
    url = f"/patients/{patient.id}/diary/quick"
    client.post(url, data={**_form(client, url), "overall_symptoms": "5"})
    html = client.get(f"/patients/{patient.id}/diary/history?days=90&month=2026-10").get_data(
        as_text=True
    )
    assert 'dir="rtl"' in html
    assert 'transform="translate(340 0) scale(-1 1)"' in html
    assert "<desc" in html and "<table" in html
    assert client.get(f"/patients/{patient.id}/diary/patterns").status_code == 200


@time_machine.travel(NOW, tick=False)
def test_symptom_list_page(app, make, client, auth):
    patient = _signed_in_patient(make, auth)
    url = f"/patients/{patient.id}/diary/symptoms"
    data = {
        "csrf_token": _form(client, url)["csrf_token"],
        "codes": ["nausea"],
        "custom": "Jaw pain",
    }
    assert client.post(url, data=data).status_code == 302
    html = client.get(f"/patients/{patient.id}/diary/entry").get_data(as_text=True)
    assert 'name="symptom-nausea"' in html and "Jaw pain" in html
    assert 'name="symptom-pain"' not in html


@time_machine.travel(NOW, tick=False)
def test_older_entries_are_shown_read_only(app, make, client, auth):
    from tests.diary.conftest import bulk_history

    patient = _signed_in_patient(make, auth)
    bulk_history(app, patient, days=12, end=TODAY)
    old = (TODAY - timedelta(days=10)).isoformat()
    html = client.get(f"/patients/{patient.id}/diary/entry/{old}").get_data(as_text=True)
    assert '<form method="post" action="/patients/' not in html
    assert 'class="facts"' in html
