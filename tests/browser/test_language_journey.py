"""Issue 14, defects 7 and 10 in the browser: a Spanish invitee on an English phone sees the
invitation, the password form's errors and the sign-in page in Spanish; a questionnaire window
reads "until end of <day>"."""

from __future__ import annotations

import pytest

from app.auth import services as auth_services
from app.auth.models import Role
from app.db import db
from tests.browser.people import seeded_people
from tests.browser.test_journeys import check_page, sign_in, sign_out

pytestmark = pytest.mark.browser


def test_a_spanish_invitee_sets_a_password_in_spanish(live, browser, live_server):
    with live.app.test_request_context():
        _, token = auth_services.create_invited_user(
            role=Role.PATIENT,
            display_name="Invitada de prueba",
            email="invitada.browser@example.org",
            locale="es",
            timezone="America/Mexico_City",
        )
        db.session.commit()
    context = browser.new_context(
        viewport={"width": 360, "height": 780},
        is_mobile=True,
        has_touch=True,
        base_url=live_server,
        locale="en-US",  # the phone asks for English; the link speaks the invitee's language
    )
    page = context.new_page()
    try:
        page.goto(f"/auth/invitation/{token}")
        assert page.locator("html").get_attribute("lang") == "es"
        assert page.get_by_text("Elija una contraseña para terminar").is_visible()
        check_page(page)
        page.locator("#password").fill("corta")
        page.locator("form.stack button[type=submit]").click()
        page.wait_for_load_state()
        assert page.locator("html").get_attribute("lang") == "es"
        assert page.locator(".field-error, [aria-invalid=true]").count() >= 1
        check_page(page)
        page.locator("#password").fill("una contraseña larga y nueva")
        page.locator("#confirm").fill("una contraseña larga y nueva")
        page.locator("form.stack button[type=submit]").click()
        page.wait_for_load_state()
        assert page.url.endswith("/auth/login")
        assert page.locator("html").get_attribute("lang") == "es"
        assert page.get_by_text("Su contraseña se ha guardado.").is_visible()
        check_page(page)
    finally:
        context.close()


def test_an_open_questionnaire_reads_until_end_of_its_last_day(live, phone_page):
    page = phone_page
    people = seeded_people(live, "en", tag="until")  # questionnaires seeded due today
    sign_in(page, people.email("patient"))
    due = page.get_by_text("Open until", exact=False)
    assert due.count() >= 1
    text = due.first.inner_text()
    assert "Open until end of" in text and "12:00" not in text, text
    check_page(page)
    sign_out(page)
