"""Settings on a phone: the time-zone picker (grouped by region, searched, and without
JavaScript still a plain grouped list) and the password change, which signs other devices out.

Uses demo people no other journey signs in as (felix@, noah@, physio@)."""

from __future__ import annotations

import pytest
from sqlalchemy import select, update

from app.auth.models import User
from app.db import db
from app.demo import DEMO_PASSWORD
from tests.browser.fixtures import PHONE
from tests.browser.test_journeys import check_page, sign_in, sign_out

pytestmark = pytest.mark.browser
NEW_PASSWORD = "a new demo passphrase"


def _saved_zone(live, email: str) -> str:
    with live.app.app_context():
        return db.session.scalar(select(User.timezone).where(User.email == email))


def test_patient_searches_a_time_zone_and_saves_it(phone_page, live):
    with live.app.app_context():  # noah@ reads German; this check reads English labels
        db.session.execute(update(User).where(User.email == "noah@example.org").values(locale="en"))
        db.session.commit()
    page = phone_page
    sign_in(page, "noah@example.org")
    page.goto("/auth/settings")
    check_page(page)
    picker = page.locator("select#timezone")
    groups = picker.locator("optgroup")
    assert groups.first.get_attribute("label") == "Suggested for you"
    labels = groups.evaluate_all("(gs) => gs.map((g) => g.label)")
    assert {"Africa", "Americas", "Asia", "Europe", "Pacific Ocean"} <= set(labels)

    search = page.get_by_label("Search time zones")
    search.fill("berlin")
    assert picker.input_value() == "Europe/Berlin"  # the only match is chosen
    visible = picker.locator("option:not([hidden])").count()
    assert visible <= 2  # Berlin, and the zone chosen before
    check_page(page)
    search.fill("zzzz")
    assert "No time zone matches" in page.locator(".zone-none").inner_text()
    search.fill("berlin")
    page.get_by_role("button", name="Save settings").click()
    page.wait_for_load_state()
    assert "Your settings are saved." in page.locator(".flashes").inner_text()
    assert _saved_zone(live, "noah@example.org") == "Europe/Berlin"
    sign_out(page)


def test_without_javascript_the_picker_is_a_grouped_list(browser, live_server):
    context = browser.new_context(
        viewport=PHONE, is_mobile=True, java_script_enabled=False, base_url=live_server
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        page.goto("/auth/login")  # sign in without scripts (axe needs them: not run here)
        page.locator("#email").fill("felix@example.org")
        page.locator("#password").fill(DEMO_PASSWORD)
        page.locator("form.stack button[type=submit]").click()
        page.wait_for_url("**/")
        html = page.request.get("/auth/settings").text()
        page.goto("/auth/settings")
        assert page.locator("input[type=search]").count() == 0
        assert html.count("<optgroup ") >= 10
        assert 'data-zone-search="' in html  # the enhancement only adds the box
    finally:
        context.close()


@pytest.mark.parametrize("email", ["felix@example.org", "physio@example.org"])
def test_password_change_signs_other_devices_out(browser, live_server, live, email):
    here = browser.new_context(viewport=PHONE, is_mobile=True, base_url=live_server)
    there = browser.new_context(viewport=PHONE, is_mobile=True, base_url=live_server)
    page, other = here.new_page(), there.new_page()
    page.set_default_timeout(15_000)
    other.set_default_timeout(15_000)
    try:
        sign_in(other, email)
        sign_in(page, email)
        page.goto("/auth/settings")
        locale = page.locator("html").get_attribute("lang")
        current = page.locator("#current_password")
        current.fill("not my password")
        page.locator("#password").fill(NEW_PASSWORD)
        page.locator("#confirm").fill(NEW_PASSWORD)
        page.locator("form[action$='/settings/password'] button[type=submit]").click()
        page.wait_for_load_state()
        current = page.locator("#current_password")
        assert current.get_attribute("aria-invalid") == "true"
        message = page.locator("#current_password-error")
        assert message.is_visible() and "current_password-error" in (
            current.get_attribute("aria-describedby") or ""
        )
        english = "That is not your current password."
        assert (message.inner_text() == english) == (locale == "en"), (locale, message)
        check_page(page)

        current.fill(DEMO_PASSWORD)
        page.locator("#password").fill(NEW_PASSWORD)
        page.locator("#confirm").fill(NEW_PASSWORD)
        page.locator("form[action$='/settings/password'] button[type=submit]").click()
        page.wait_for_load_state()
        assert page.url.endswith("/auth/settings")
        assert page.locator(".flashes .flash-success").is_visible()
        check_page(page)

        other.goto("/auth/settings")  # the other device is signed out
        assert "/auth/login" in other.url
        sign_out(page)
        page.locator("#email").fill(email)
        page.locator("#password").fill(NEW_PASSWORD)
        page.locator("form.stack button[type=submit]").click()
        page.wait_for_load_state()
        assert "/auth/login" not in page.url
    finally:
        here.close()
        there.close()
