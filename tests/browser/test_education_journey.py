"""Education journey on a phone (360 px): a patient with a boom-bust pattern opens the pacing
lesson from "My patterns" (the rule shown), practises paced breathing with the timer and marks
it; the clinician sees it in the pre-visit summary. The pacing lesson in Arabic, right to left."""

from __future__ import annotations

import pytest

from tests.browser.people import seeded_people
from tests.browser.test_journeys import check_page, open_menu, sign_in, sign_out

pytestmark = pytest.mark.browser


def test_patient_learns_from_a_pattern_practises_and_clinician_sees_it(live, phone_page):
    page = phone_page
    people = seeded_people(live, "en", tag="education")
    sign_in(page, people.email("patient"))
    page.goto(f"/patients/{people.patient_id}/diary/patterns")
    section = page.locator("section[aria-labelledby='pattern-lessons-heading']")
    assert "Shown because your diary has" in section.inner_text()
    check_page(page)
    section.locator("a[href$='/learn/pacing']").click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text().startswith("Pacing")
    check_page(page)

    open_menu(page)
    page.locator("header nav a[href$='/learn']").click()
    page.wait_for_load_state()
    check_page(page)
    page.locator("main a[href$='/learn/paced_breathing']").first.click()
    page.wait_for_load_state()
    toggle = page.locator(".breathing-toggle")
    toggle.click()
    page.wait_for_function(
        "document.querySelector('.breathing-phase').textContent.includes('Breathe')"
    )
    assert toggle.get_attribute("aria-pressed") == "true"
    check_page(page)
    toggle.click()
    assert toggle.get_attribute("aria-pressed") == "false"
    page.locator("#practice form.stack button[type=submit]").click()
    page.wait_for_load_state()
    assert "Your practice is saved" in page.locator(".flash").inner_text()
    assert page.locator(".practice-days li").count() == 1
    check_page(page)
    sign_out(page)

    sign_in(page, people.email("clinician"))
    page.goto(f"/patients/{people.patient_id}/summary")
    lessons = page.locator("section.lesson-use")
    text = lessons.inner_text()
    assert "Paced breathing" in text and "Pacing" in text
    check_page(page)
    sign_out(page)


def test_pacing_lesson_in_arabic_reads_right_to_left(live, phone_page):
    page = phone_page
    people = seeded_people(live, "ar", tag="education")
    sign_in(page, people.email("patient"))
    page.goto("/learn/pacing")
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert "تنظيم الجهد" in page.locator("h1").inner_text()
    check_page(page)
    sign_out(page)
