"""A patient invites a caregiver and grants one scope; the caregiver sees only that."""

from __future__ import annotations

import re

import pytest

from tests.browser.test_journeys import check_page, sign_in, sign_out

pytestmark = pytest.mark.browser


def test_patient_shares_one_scope_and_the_caregiver_sees_only_that(live, phone_page):
    page = phone_page
    sign_in(page, "patient@example.org")
    page.locator("main a[href$='/caregivers']").click()
    page.wait_for_load_state()
    check_page(page)
    page.locator("#invite-display_name").fill("Alex Neighbour")
    page.locator("#invite-relationship_label").fill("Neighbour")
    page.locator("#invite-email").fill("alex.neighbour@example.org")
    page.locator("input[name='invite-scopes'][value='view_scores']").check()
    page.locator("section:has(#invite-heading) button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator("h2", has_text="Alex Neighbour").is_visible()
    check_page(page)
    sign_out(page)

    mail = live.app.extensions["heed.mail_outbox"][-1]
    assert mail.to == "alex.neighbour@example.org"
    link = re.search(r"(/auth/invitation/\S+)", mail.body).group(1)
    page.goto(link)
    check_page(page)
    page.locator("#password").fill("neighbour password 1")
    page.locator("#confirm").fill("neighbour password 1")
    page.locator("form.stack button[type=submit]").click()
    page.wait_for_url("**/auth/login")

    page.locator("#email").fill("alex.neighbour@example.org")
    page.locator("#password").fill("neighbour password 1")
    page.locator("form.stack button[type=submit]").click()
    page.wait_for_load_state()
    assert page.url.endswith("/welcome/1")  # a new caregiver's first sign-in: the introduction
    check_page(page)
    page.locator("main input[name=skip]").click()
    page.wait_for_load_state()
    shared = page.locator("main .card ul li")
    assert shared.count() == 1
    assert shared.first.inner_text() == "See my questionnaire scores"
    check_page(page)
    page.locator("main .card-link").first.click()
    page.wait_for_load_state()
    assert page.locator("section[aria-labelledby='shared-heading'] li").count() == 1
    check_page(page)
    # Anything not granted is not there.
    response = page.goto(page.url + "/access-log")
    assert response.status == 404
    sign_out(page)
