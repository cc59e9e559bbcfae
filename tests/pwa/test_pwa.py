"""The installable app's server side: manifest, service worker, offline page, and which pages
the service worker may keep (only the signed-in patient's own diary forms)."""

from __future__ import annotations

import json
import uuid
from html import unescape

from tests.factories import PASSWORD


def _sign_in(auth, person) -> None:
    assert auth.login(person.email, PASSWORD).status_code == 302


def test_the_service_worker_is_served_from_the_root_with_its_settings(client):
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response.mimetype == "text/javascript"
    assert response.headers["Cache-Control"] == "no-cache"
    body = response.get_data(as_text=True)
    first = body.splitlines()[0]
    assert first.startswith("const HEED = ")
    settings = json.loads(first.removeprefix("const HEED = ").rstrip(";"))
    assert "/static/css/heed.css" in settings["precache"]
    assert settings["offline"] == "/offline"
    assert "https://" not in body  # nothing from a CDN


def test_every_precached_file_exists(client):
    settings = json.loads(client.get("/sw.js").get_data(as_text=True).splitlines()[0][13:-1])
    for url in settings["precache"]:
        assert client.get(url).status_code == 200, url


def test_the_manifest_speaks_the_visitors_language(client):
    body = client.get("/manifest.webmanifest", headers={"Accept-Language": "ar"}).get_json(
        force=True
    )
    assert body["start_url"] == "/"
    assert body["display"] == "standalone"
    assert {icon["sizes"] for icon in body["icons"]} == {"192x192", "512x512"}
    assert any(icon["purpose"] == "maskable" for icon in body["icons"])
    for icon in body["icons"]:
        assert client.get(icon["src"]).status_code == 200
    assert [s["url"] for s in body["shortcuts"]] == ["/diary/quick", "/diary"]
    assert body["lang"] == "ar" and body["dir"] == "rtl"


def test_the_offline_page_is_public_and_localized(client):
    response = client.get("/offline", headers={"Accept-Language": "fr"})
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert 'lang="fr"' in html
    assert "hors ligne" in html


def test_the_patients_own_diary_forms_are_marked_for_offline_use(make, client, auth):
    patient = make.patient()
    _sign_in(auth, patient.user)
    quick = client.get(f"/patients/{patient.id}/diary/quick")
    assert quick.headers["X-Heed-Offline"] == "shell"
    assert quick.headers["X-Heed-Offline-Owner"] == str(patient.user.id)
    assert quick.headers["X-Heed-Offline-Alias"] == "/diary/quick"
    full = client.get(f"/patients/{patient.id}/diary/entry")
    assert full.headers["X-Heed-Offline-Alias"] == "/diary"
    html = full.get_data(as_text=True)
    assert "data-offline-form" in html and 'data-entry-version=""' in html
    assert "data-pwa=" in html and 'id="offline-queue"' in html
    assert 'rel="manifest"' in html


def test_nothing_else_is_marked(make, client, auth):
    patient = make.patient()
    _sign_in(auth, patient.user)
    for url in ("/", f"/patients/{patient.id}/diary/history", "/offline"):
        assert "X-Heed-Offline" not in client.get(url).headers, url


def test_staff_pages_are_never_marked(make, client, auth):
    clinician = make.clinician()
    patient = make.patient(team=[clinician])
    _sign_in(auth, clinician)
    for url in (f"/patients/{patient.id}/diary/history", f"/patients/{patient.id}"):
        response = client.get(url)
        assert "X-Heed-Offline" not in response.headers, url
    html = client.get("/").get_data(as_text=True)
    assert 'id="offline-queue"' not in html  # no queue for staff
    data = json.loads(unescape(html.split("data-pwa='")[1].split("'>")[0]))
    assert data["prime"] == [] and data["patient"] is False


def test_the_form_shows_the_version_the_api_names_as_etag(make, client, auth):
    patient = make.patient()
    _sign_in(auth, patient.user)
    url = f"/patients/{patient.id}/diary/quick"
    html = client.get(url).get_data(as_text=True)
    token = html.split('name="csrf_token" value="')[1].split('"')[0]
    data = {"csrf_token": token, "submission_id": str(uuid.uuid4()), "mood": "4"}
    assert client.post(url, data=data).status_code == 302
    html = client.get(url).get_data(as_text=True)
    version = html.split('data-entry-version="')[1].split('"')[0]
    day = html.split(f'action="/patients/{patient.id}/diary/quick/')[1].split('"')[0]
    api = client.get(f"/api/v1/patients/{patient.id}/diary/{day}")
    assert api.status_code == 200
    assert api.headers["ETag"] == f'"{version}"'


def test_the_pages_tell_the_script_where_the_diary_api_is(make, client, auth):
    patient = make.patient()
    _sign_in(auth, patient.user)
    html = client.get("/").get_data(as_text=True)
    data = json.loads(unescape(html.split("data-pwa='")[1].split("'>")[0]))
    assert data["api"] == "/api/v1/patients/{patient}/diary/{day}"
    assert data["user"] == str(patient.user.id) and data["patient"] is True
    assert data["prime"] == ["/diary/quick", "/diary"]
    assert data["strings"]["saved"]
    offline = client.get("/offline").get_data(as_text=True)
    kept = json.loads(unescape(offline.split("data-pwa='")[1].split("'>")[0]))
    assert kept["user"] is None and kept["offline_page"] is True  # names no one


def test_the_worker_gives_a_posted_diary_form_a_time_limit(app, client):
    first = client.get("/sw.js").get_data(as_text=True).splitlines()[0]
    assert json.loads(first[13:-1])["post_timeout"] == 10000
    app.config["PWA_POST_TIMEOUT_SECONDS"] = 3
    try:
        first = client.get("/sw.js").get_data(as_text=True).splitlines()[0]
        assert json.loads(first[13:-1])["post_timeout"] == 3000
    finally:
        app.config.pop("PWA_POST_TIMEOUT_SECONDS")


def test_the_script_scopes_keys_as_the_api_does(make, client, auth):
    from app.api.diary import KEY_NAMESPACE
    from app.web.offline import API_KEY_NAMESPACE

    assert API_KEY_NAMESPACE == KEY_NAMESPACE
    patient = make.patient()
    _sign_in(auth, patient.user)
    html = client.get("/").get_data(as_text=True)
    data = json.loads(unescape(html.split("data-pwa='")[1].split("'>")[0]))
    assert data["key_namespace"] == str(KEY_NAMESPACE)
    assert data["strings"]["posting"] and data["strings"]["unreachable"]


def test_a_form_post_that_arrived_is_a_repeat_when_its_entry_is_sent_again(app, make, client, auth):
    """The script posts a diary form under the submission id the API makes of the key it keeps
    the entry under: sending the kept entry after the post did arrive writes nothing."""
    from sqlalchemy import select

    from app.db import db
    from app.diary.models import DiaryEntry, DiaryRevision
    from app.web.offline import API_KEY_NAMESPACE

    patient = make.patient()
    _sign_in(auth, patient.user)
    url = f"/patients/{patient.id}/diary/quick"
    html = client.get(url).get_data(as_text=True)
    token = html.split('name="csrf_token" value="')[1].split('"')[0]
    day = html.split(f'action="/patients/{patient.id}/diary/quick/')[1].split('"')[0]
    key = str(uuid.uuid4())
    posted = uuid.uuid5(API_KEY_NAMESPACE, f"{patient.user.id}:{key}")
    form = {"csrf_token": token, "submission_id": str(posted), "mood": "4", "overall_symptoms": "6"}
    assert client.post(f"{url}/{day}", data=form).status_code == 302

    def revisions() -> list[uuid.UUID]:
        with app.app_context():
            query = (
                select(DiaryRevision.submission_id)
                .join(DiaryEntry, DiaryEntry.id == DiaryRevision.entry_id)
                .where(DiaryEntry.patient_id == patient.id)
            )
            return list(db.session.scalars(query))

    assert revisions() == [posted]
    # The kept entry goes as the script sends it: no If-Match (the form showed no entry).
    api = client.put(
        f"/api/v1/patients/{patient.id}/diary/{day}",
        json={"mode": "quick", "mood": 4, "overall_symptoms": 6},
        headers={"X-CSRFToken": token, "Idempotency-Key": key},
    )
    assert api.status_code == 200, api.get_json()
    assert api.get_json()["values"]["mood"] == 4
    assert revisions() == [posted]
    # A key the form did not post under is a new submission: the day changed, so it asks.
    other = client.put(
        f"/api/v1/patients/{patient.id}/diary/{day}",
        json={"mode": "quick", "mood": 4, "overall_symptoms": 6},
        headers={"X-CSRFToken": token, "Idempotency-Key": str(posted)},
    )
    assert other.status_code == 428
    assert revisions() == [posted]
