"""The introduction at first sign-in on a 360 px phone: the demo's one new patient walks through
it in Spanish; a new caregiver skips it; both go straight home the next time."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from sqlalchemy import select

from app.auth.models import Role, User
from app.careteam import services as careteam
from app.careteam.models import ConsentScope, Patient
from app.db import db
from app.demo import DEMO_PASSWORD, NOT_ONBOARDED
from app.security import hash_password
from tests.browser.test_journeys import check_page, sign_out

pytestmark = pytest.mark.browser


def _sign_in(page, email: str) -> None:
    page.goto("/auth/login")
    page.locator("#email").fill(email)
    page.locator("#password").fill(DEMO_PASSWORD)
    page.locator("#password").press("Enter")
    page.wait_for_load_state()


def test_new_patient_walks_through_in_spanish_and_then_goes_straight_home(phone_page):
    page = phone_page
    _sign_in(page, NOT_ONBOARDED)
    assert page.url.endswith("/welcome/1")
    assert page.locator("html").get_attribute("lang") == "es"
    screens = 0
    while True:
        screens += 1
        assert page.locator("progress").get_attribute("value") == str(screens)
        check_page(page)
        following = page.locator("main a[rel=next]")
        if not following.count():
            break
        following.click()
        page.wait_for_load_state()
    assert screens == 4
    # The last screen: not watched around the clock, and the clinic's crisis lines in Spanish.
    assert page.locator("main a[href^='tel:']").count() >= 1
    assert "ficticia" in page.locator("main").inner_text()
    page.locator("main input[name=finish]").click()
    page.wait_for_load_state()
    assert urlsplit(page.url).path == "/"  # home
    check_page(page)
    sign_out(page)

    _sign_in(page, NOT_ONBOARDED)
    assert "/welcome" not in page.url
    sign_out(page)


def test_new_caregiver_skips_at_the_first_screen(live, phone_page):
    with live.app.app_context(), db.transaction():
        email = "onboarding.caregiver@example.org"
        if db.session.scalar(select(User.id).where(User.email == email)) is None:
            caregiver = User(
                email=email,
                role=Role.CAREGIVER,
                display_name="Robin Example",
                locale="en",
                timezone="America/New_York",
                password_hash=hash_password(DEMO_PASSWORD),
            )
            db.session.add(caregiver)
            db.session.flush()
            patient = db.session.scalar(
                select(Patient)
                .join(User, User.id == Patient.user_id)
                .where(User.email == "patient@example.org")
            )
            link = careteam.link_caregiver(
                patient=patient, caregiver=caregiver, relationship_label="Friend"
            )
            careteam.grant_scope(link=link, scope=ConsentScope.VIEW_SCORES, granted_by=patient.user)
    page = phone_page
    _sign_in(page, email)
    assert page.url.endswith("/welcome/1")
    assert "the person you support" in page.locator("main").inner_text()
    check_page(page)
    page.locator("main input[name=skip]").click()
    page.wait_for_load_state()
    assert urlsplit(page.url).path == "/"
    check_page(page)
    sign_out(page)

    _sign_in(page, email)
    assert "/welcome" not in page.url
    sign_out(page)
