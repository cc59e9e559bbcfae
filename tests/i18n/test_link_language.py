"""Languages (issue 14, defect 7): languages are named in the reader's language, and every page
for someone not signed in speaks the language of the link they followed (or of the person who
just signed out), else the browser's."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from flask_babel import force_locale

from app.auth import services as auth_services
from app.auth.models import OneTimeToken, Role, TokenPurpose
from app.db import db, utcnow
from app.i18n.names import language_name
from app.prompts.models import PromptPurpose
from app.security import token_digest
from app.sms import magic
from tests.conftest import csrf_from
from tests.factories import PASSWORD
from tests.instruments.conftest import build

ENGLISH_BROWSER = {"Accept-Language": "en-US,en;q=0.9"}


@pytest.mark.parametrize(
    ("viewer", "code", "name"),
    [
        ("es", "en", "inglés"),
        ("ar", "en", "الإنجليزية"),
        ("de", "es", "Spanisch"),
        ("fr", "es-US", "espagnol (États-Unis)"),
        ("en", "pt", "Portuguese"),
    ],
)
def test_languages_are_named_in_the_readers_language(app, viewer, code, name):
    with app.test_request_context(), force_locale(viewer):
        assert language_name(code) == name
        assert language_name("zz-not-a-locale") == "zz-not-a-locale"


def test_the_record_names_the_patients_language_in_the_clinicians(make, client, auth):
    clinician = make.clinician(locale="es")
    patient = make.patient(team=[clinician], locale="en")
    auth.login(clinician.email, PASSWORD)
    html = client.get(f"/patients/{patient.id}").get_data(as_text=True)
    assert "Inglés" in html and "English" not in html.split("<footer")[0].split("</nav>")[-1]


def _invite(app, *, locale: str, purpose=TokenPurpose.INVITATION) -> str:
    with app.test_request_context():
        user, token = auth_services.create_invited_user(
            role=Role.PATIENT, display_name="Invited", email=f"{locale}@example.org", locale=locale
        )
        if purpose is TokenPurpose.PASSWORD_RESET:
            user.password_hash, user.active = "x", True
            token = auth_services.issue_token(user=user, purpose=purpose, lifetime=timedelta(1))
        db.session.commit()
        return token


def test_a_spanish_invitee_sees_the_invitation_in_spanish(app, client):
    token = _invite(app, locale="es")
    page = client.get(f"/auth/invitation/{token}", headers=ENGLISH_BROWSER)
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert '<html lang="es"' in html
    assert "Elija una contraseña para terminar de configurar su cuenta." in html
    # ... and after choosing a password, the sign-in page and its message are Spanish too.
    response = client.post(
        f"/auth/invitation/{token}",
        data={
            "password": "a long new password",
            "confirm": "a long new password",
            "csrf_token": csrf_from(html),
        },
        headers=ENGLISH_BROWSER,
    )
    assert response.status_code == 302
    login = client.get("/auth/login", headers=ENGLISH_BROWSER).get_data(as_text=True)
    assert '<html lang="es"' in login
    assert "Su contraseña se ha guardado. Por favor, inicie sesión." in login


def test_the_invitation_speaks_the_invitee_after_someone_else_signed_out(app, make, client, auth):
    admin = make.admin(locale="en")
    auth.login(admin.email, PASSWORD)
    auth.logout()
    token = _invite(app, locale="ar")
    html = client.get(f"/auth/invitation/{token}").get_data(as_text=True)
    assert '<html lang="ar" dir="rtl">' in html


def test_the_switcher_still_wins_on_a_link_page(app, client, auth):
    token = _invite(app, locale="es")
    auth.post("/locale", {"locale": "de", "next": "/"}, token_from=f"/auth/invitation/{token}")
    html = client.get(f"/auth/invitation/{token}").get_data(as_text=True)
    assert '<html lang="de"' in html


def test_a_password_reset_link_speaks_the_account_language(app, client):
    token = _invite(app, locale="fr", purpose=TokenPurpose.PASSWORD_RESET)
    html = client.get(f"/auth/reset/{token}", headers=ENGLISH_BROWSER).get_data(as_text=True)
    assert '<html lang="fr"' in html


def test_a_text_message_link_speaks_the_patients_language(app, make, client):
    patient = make.patient(locale="ar")
    with app.app_context():
        raw, link = magic.new_link(
            user_id=patient.user_id,
            patient_id=patient.id,
            purpose=PromptPurpose.DIARY_REMINDER,
            target="diary",
            local_date=date(2026, 6, 1),
            expires_at=utcnow() + timedelta(minutes=60),
        )
        db.session.add(link)
        db.session.commit()
    html = client.get(f"/m/{raw}", headers=ENGLISH_BROWSER).get_data(as_text=True)
    assert '<html lang="ar" dir="rtl">' in html
    # The task the link opens speaks it too.
    opened = client.post(f"/m/{raw}", data={"csrf_token": csrf_from(html)}, headers=ENGLISH_BROWSER)
    assert opened.status_code == 302
    task = client.get(opened.headers["Location"], headers=ENGLISH_BROWSER)
    assert task.status_code == 200
    assert '<html lang="ar" dir="rtl">' in task.get_data(as_text=True)


def test_an_unknown_link_and_the_sign_in_page_follow_the_browser(client):
    assert '<html lang="pt"' in client.get("/m/nope", headers={"Accept-Language": "pt"}).get_data(
        as_text=True
    )
    assert '<html lang="de"' in client.get(
        "/auth/invitation/nope", headers={"Accept-Language": "de"}
    ).get_data(as_text=True)
    assert '<html lang="fr"' in client.get(
        "/auth/login", headers={"Accept-Language": "fr"}
    ).get_data(as_text=True)


def test_the_confirmation_after_erasure_is_in_the_patients_language(make, client, auth):
    patient = make.patient(locale="es")
    auth.login(patient.user.email, PASSWORD)
    response = auth.post(
        f"/patients/{patient.id}/data/erase",
        {"password": PASSWORD, "understood": "y"},
        token_from=f"/patients/{patient.id}/data",
    )
    assert response.status_code == 302
    html = client.get(response.headers["Location"], headers=ENGLISH_BROWSER).get_data(as_text=True)
    assert '<html lang="es"' in html
    assert "Sus datos se han borrado. Gracias por usar Heed." in html


def test_signing_out_keeps_the_persons_language_for_the_sign_in_page(make, client, auth):
    patient = make.patient(locale="de")
    auth.login(patient.user.email, PASSWORD)
    auth.logout()
    html = client.get("/auth/login", headers=ENGLISH_BROWSER).get_data(as_text=True)
    assert '<html lang="de"' in html


def test_the_substitution_notice_names_the_language_in_the_patients_language(
    app, make, client, auth
):
    s = build(app, make, locale="de", readable=["en"])
    auth.login(s.patient.user.email, PASSWORD)
    html = client.get(f"{s.answer_url}?mode=page").get_data(as_text=True)
    notice = html.split('class="card notice">', 1)[1].split("</p>", 1)[0]
    assert "auf Englisch angezeigt" in notice and "English" not in notice


def test_a_used_or_expired_link_still_speaks_its_owners_language(app, make, client):
    token = _invite(app, locale="es")
    with app.app_context():
        row = db.session.query(OneTimeToken).filter_by(digest=token_digest(token)).one()
        row.expires_at = utcnow() - timedelta(minutes=1)
        db.session.commit()
    page = client.get(f"/auth/invitation/{token}", headers=ENGLISH_BROWSER)
    assert page.status_code == 410
    assert '<html lang="es"' in page.get_data(as_text=True)

    patient = make.patient(locale="fr")
    with app.app_context():
        raw, link = magic.new_link(
            user_id=patient.user_id,
            patient_id=patient.id,
            purpose=PromptPurpose.DIARY_REMINDER,
            target="diary",
            local_date=date(2026, 6, 1),
            expires_at=utcnow() - timedelta(minutes=1),
        )
        db.session.add(link)
        db.session.commit()
    page = client.get(f"/m/{raw}", headers=ENGLISH_BROWSER)
    assert page.status_code == 410
    assert '<html lang="fr"' in page.get_data(as_text=True)
