"""The introduction at a patient's or caregiver's first sign-in: shown once, skippable at every
step, without JavaScript, with the clinic's crisis lines; never for staff."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.alerts.models import CrisisResource
from app.auth.models import User
from app.db import db
from tests.conftest import csrf_from
from tests.factories import PASSWORD


def _onboarded_at(app, email: str):
    with app.app_context():
        return db.session.scalar(select(User.onboarded_at).where(User.email == email))


def _walk(client, location: str) -> list[str]:
    """Follow the Next links from the first screen; returns every screen's HTML."""
    pages = []
    while location:
        html = client.get(location).get_data(as_text=True)
        pages.append(html)
        marker = 'rel="next" href="'
        location = (
            html.split(marker, 1)[1].split('"', 1)[0].replace("&amp;", "&")
            if marker in html
            else ""
        )
    return pages


def test_first_sign_in_walks_through_and_a_second_goes_straight_home(app, make, client, auth):
    patient = make.patient(onboarded=False)
    email = patient.user.email
    response = auth.login(email, PASSWORD)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/welcome")

    pages = _walk(client, response.headers["Location"])
    assert len(pages) == 4
    assert "What Heed does" in pages[0]
    assert "Your care team sees your diary" in pages[1]
    assert "/settings/reminders" in pages[2]
    assert "Your answers are not watched around the clock." in pages[3]
    for html in pages[:-1]:
        assert "Skip the introduction" in html  # skippable at every step
    assert "Start using Heed" in pages[-1]
    assert _onboarded_at(app, email) is None  # looking is not finishing

    done = client.post(
        "/welcome/done", data={"csrf_token": csrf_from(pages[-1]), "next": "", "finish": "1"}
    )
    assert done.status_code == 302 and done.headers["Location"] == "/"
    assert _onboarded_at(app, email) is not None

    auth.logout()
    again = auth.login(email, PASSWORD)
    assert again.headers["Location"] == "/"


def test_caregiver_skips_at_the_first_step_and_keeps_where_they_were_going(app, make, client, auth):
    patient = make.patient()
    caregiver, _ = make.caregiver(patient, scopes=["view_scores"], onboarded=False)
    target = f"/patients/{patient.id}"
    login = client.post(
        f"/auth/login?next={target}",
        data={"email": caregiver.email, "password": PASSWORD, "csrf_token": auth.token()},
    )
    location = login.headers["Location"]
    assert location.startswith("/welcome")
    first = client.get(location).get_data(as_text=True)
    assert "the person you support" in first
    assert "Your care team sees your diary" not in first
    skipped = client.post(
        "/welcome/done", data={"csrf_token": csrf_from(first), "next": target, "skip": "1"}
    )
    assert skipped.headers["Location"] == target
    assert _onboarded_at(app, caregiver.email) is not None


def test_staff_never_see_it(app, make, client, auth):
    clinician = make.clinician(onboarded=False)
    response = auth.login(clinician.email, PASSWORD)
    assert response.headers["Location"] == "/"
    assert client.get("/welcome/1").headers["Location"] == "/"
    token = auth.token()
    client.post("/welcome/done", data={"csrf_token": token, "next": ""})
    assert _onboarded_at(app, clinician.email) is None


def test_safety_screen_shows_the_clinics_crisis_lines_in_the_persons_language(
    app, make, client, auth
):
    clinic = make.clinic()
    with app.app_context():
        for locale, label in (("en", "Line EN (fictional)"), ("es", "Línea ES (ficticia)")):
            db.session.add(
                CrisisResource(
                    clinic_id=clinic.id, locale=locale, label=label, contact="+1 202 555 0199"
                )
            )
        db.session.commit()
    patient = make.patient(clinic, locale="es")
    auth.login(patient.user.email, PASSWORD)
    html = client.get("/welcome/4").get_data(as_text=True)
    assert "Línea ES (ficticia)" in html and "Line EN" not in html
    assert 'href="tel:+12025550199"' in html
    assert 'lang="es"' in html


def test_shown_again_from_settings_and_out_of_range_steps_go_to_the_first(make, client, auth):
    patient = make.patient()
    auth.login(patient.user.email, PASSWORD)
    settings = client.get("/auth/settings").get_data(as_text=True)
    assert "Show the introduction again" in settings
    assert 'href="/welcome/1?next=/auth/settings"' in settings
    assert client.get("/welcome/1?next=/auth/settings").status_code == 200
    assert client.get("/welcome/9").headers["Location"].startswith("/welcome/")


@pytest.mark.parametrize("locale", ["es", "ar"])
def test_screens_are_translated(make, client, auth, locale):
    patient = make.patient(locale=locale)
    auth.login(patient.user.email, PASSWORD)
    for number in range(1, 5):
        html = client.get(f"/welcome/{number}").get_data(as_text=True)
        assert "Welcome to Heed" not in html
        assert "Skip the introduction" not in html
