"""The installable app's server side: manifest, service worker, offline page, and which pages
the service worker may keep (only the signed-in patient's own diary forms)."""

from __future__ import annotations

import json
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
