"""Locale selection, right-to-left layout, safe handling of unknown locales, Babel formatting."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from flask_babel import force_locale, format_datetime, format_decimal
from sqlalchemy import select

from app.auth.models import User
from app.db import db
from tests.factories import PASSWORD


def test_accept_language_picks_a_supported_locale(client):
    page = client.get("/auth/login", headers={"Accept-Language": "de-CH,de;q=0.9,en;q=0.5"})
    assert '<html lang="de" dir="ltr">' in page.get_data(as_text=True)


def test_unsupported_accept_language_falls_back_to_default(client):
    page = client.get("/auth/login", headers={"Accept-Language": "zz, xx;q=0.5"})
    assert '<html lang="en" dir="ltr">' in page.get_data(as_text=True)


def test_switcher_choice_applies_to_anonymous_visitors(client, auth):
    response = auth.post(
        "/locale", {"locale": "ar", "next": "/auth/login"}, token_from="/auth/login"
    )
    assert response.headers["Location"] == "/auth/login"
    page = client.get("/auth/login").get_data(as_text=True)
    assert '<html lang="ar" dir="rtl">' in page


@pytest.mark.parametrize("bad", ["zz", "../x", "en_US", "", "ar<script>"])
def test_unknown_locale_is_refused_with_a_message_and_changes_nothing(client, auth, bad: str):
    response = auth.post(
        "/locale", {"locale": bad, "next": "/auth/login"}, token_from="/auth/login"
    )
    assert response.status_code == 302
    page = client.get("/auth/login").get_data(as_text=True)
    assert "That language is not available." in page
    assert '<html lang="en"' in page


def test_user_preference_wins_and_the_switcher_updates_it(app, make, client, auth):
    user = make.patient(locale="es").user
    auth.login(user.email, PASSWORD)
    page = client.get("/", headers={"Accept-Language": "fr"}).get_data(as_text=True)
    assert '<html lang="es" dir="ltr">' in page
    auth.post("/locale", {"locale": "ar", "next": "/"})
    assert 'dir="rtl"' in client.get("/").get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(User.locale).where(User.id == user.id)) == "ar"


def test_settings_save_locale_and_timezone_and_refuse_bad_values(app, make, client, auth):
    user = make.clinician()
    auth.login(user.email, PASSWORD)
    response = auth.post(
        "/auth/settings",
        {"locale": "pt", "timezone": "America/Sao_Paulo"},
        token_from="/auth/settings",
    )
    assert response.status_code == 302
    for data in ({"locale": "pt", "timezone": "Mars/Olympus"}, {"locale": "zz", "timezone": "UTC"}):
        response = auth.post("/auth/settings", data, token_from="/auth/settings")
        assert response.status_code == 400  # refused, with the field marked
        assert 'aria-invalid="true"' in response.get_data(as_text=True)
    with app.app_context():
        saved = db.session.get(User, user.id)
        assert (saved.locale, saved.timezone) == ("pt", "America/Sao_Paulo")


def test_dates_and_numbers_are_formatted_by_babel(app):
    moment = datetime(2026, 3, 5, 14, 30, tzinfo=UTC)
    with app.test_request_context():
        with force_locale("de"):
            assert format_decimal(1234.5) == "1.234,5"
            assert "05.03.26" in format_datetime(moment, "short")
        with force_locale("en"):
            assert format_decimal(1234.5) == "1,234.5"


def test_translated_pages_use_the_catalog(client):
    page = client.get("/auth/login", headers={"Accept-Language": "es"}).get_data(as_text=True)
    assert "Contraseña" in page


def test_settings_phone_is_validated_stored_encrypted_and_removable(app, make, client, auth):
    user = make.patient().user
    auth.login(user.email, PASSWORD)
    base = {"locale": "en", "timezone": "UTC"}
    for bad in ("12", "call me maybe", "+1 202 555", "9" * 40):
        response = auth.post("/auth/settings", {**base, "phone": bad}, token_from="/auth/settings")
        assert response.status_code == 400
        html = response.get_data(as_text=True)
        assert "Enter a valid mobile number" in html or "That phone number is too long." in html
    with app.app_context():
        assert db.session.get(User, user.id).phone is None
    auth.post("/auth/settings", {**base, "phone": "(202) 555-0142"}, token_from="/auth/settings")
    with app.app_context():
        saved = db.session.get(User, user.id)
        assert saved.phone == "+12025550142"
        assert saved.phone_index is not None
    auth.post("/auth/settings", {**base, "phone": ""}, token_from="/auth/settings")
    with app.app_context():
        cleared = db.session.get(User, user.id)
        assert (cleared.phone, cleared.phone_index) == (None, None)


def test_switching_language_keeps_the_phone_number(app, make, client, auth):
    user = make.patient(phone="+12025550177").user
    auth.login(user.email)
    auth.post("/locale", {"locale": "fr", "next": "/"})
    with app.app_context():
        assert db.session.get(User, user.id).phone == "+12025550177"
