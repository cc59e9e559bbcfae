"""Care-plan journey on a phone: a clinician edits the plan, the patient reads it and comments."""

from __future__ import annotations

import pytest

from tests.browser.test_journeys import check_page, sign_in, sign_out

pytestmark = pytest.mark.browser

NEW_HYPOTHESIS = "Symptoms ease on weeks with fewer night shifts."
COMMENT = "Thank you. Could we review the walking goal next time?"


def test_clinician_edits_and_patient_reads_and_comments(phone_page):
    page = phone_page
    sign_in(page, "clinician@example.org")
    page.locator(
        "main .card-link", has_text="Jordan Miller"
    ).click()  # the team list, not the upcoming list
    page.wait_for_load_state()
    page.locator("main a[href$='/care-plan']").click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text().startswith("Care plan for")
    check_page(page)

    page.locator("main a[href$='/care-plan/edit']").click()
    page.wait_for_load_state()
    check_page(page)
    hypotheses = page.locator("#hypotheses")
    hypotheses.fill(hypotheses.input_value() + "\n" + NEW_HYPOTHESIS)
    new_goal = (
        page.locator("fieldset.row-group")
        .filter(has=page.locator("legend", has_text="New goal"))
        .first
    )
    new_goal.locator("input[name$='-what']").fill("Return to work two mornings a week")
    new_goal.locator("select[name$='-owner']").select_option("social_work")
    new_goal.locator("input[name$='-measure_text']").fill("Agreed with the employer")
    page.locator("form.plan-form button[type=submit]").click()
    page.wait_for_load_state()
    assert "saved as version" in page.locator(".flash").inner_text()
    assert NEW_HYPOTHESIS in page.locator("main").inner_text()
    check_page(page)

    page.locator("nav.plan-nav a[href$='/versions']").click()
    page.wait_for_load_state()
    check_page(page)
    page.locator("main a.table-link").first.click()
    page.wait_for_load_state()
    assert page.locator("ins", has_text=NEW_HYPOTHESIS).is_visible()
    check_page(page)
    sign_out(page)

    sign_in(page, "patient@example.org")
    page.locator("main a[href$='/care-plan']").click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Your care plan"
    assert NEW_HYPOTHESIS in page.locator("main").inner_text()
    check_page(page)
    page.locator("#body").fill(COMMENT)
    page.locator("#comments button[type=submit]").click()
    page.wait_for_load_state()
    assert COMMENT in page.locator("#comments").inner_text()
    check_page(page)
    sign_out(page)


def test_arabic_patient_reads_the_plan_right_to_left(phone_page):
    page = phone_page
    sign_in(page, "mariam@example.org")
    assert page.locator("html").get_attribute("dir") == "rtl"
    page.locator("main a[href$='/care-plan']").click()
    page.wait_for_load_state()
    assert page.locator(".goal").count() >= 2
    check_page(page)
    sign_out(page)
