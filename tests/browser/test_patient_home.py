"""The patient's home at 360 px: today's diary first, the last seven days, the weekly trend
and one finding, in English and in Arabic (right to left), with axe-core on each."""

from __future__ import annotations

import os

import pytest
from playwright.sync_api import expect

from tests.browser.test_journeys import check_page, sign_in, sign_out

pytestmark = pytest.mark.browser
SHOTS = os.environ.get("HEED_SCREENSHOTS")  # a folder: save what the test saw


@pytest.mark.parametrize("email", ["priya@example.org", "mariam@example.org"])
def test_patient_home_shows_progress_gently(phone_page, email):
    page = phone_page
    sign_in(page, email)
    headings = page.locator("main h2")
    expect(headings.first).to_have_attribute("id", "diary-heading")
    assert headings.nth(1).get_attribute("id") == "progress-heading"
    dots = page.locator("main .week-dots li")
    expect(dots).to_have_count(7)
    assert page.locator("main .week-dots li.today").count() == 1
    assert "missed" not in page.locator("main").inner_text().lower()
    check_page(page)
    if SHOTS:
        page.screenshot(path=os.path.join(SHOTS, f"home-{email.split('@')[0]}.png"), full_page=True)
    link = page.locator(".home-progress a[href$='/diary/patterns']")
    if link.count():
        link.click()
        page.wait_for_url("**/diary/patterns")
        check_page(page)
    sign_out(page)


def test_one_question_mode_right_to_left(phone_page):
    """Arabic: the questionnaire opens one question per screen; a tap moves on (nothing is
    sent: the answers stay in the page)."""
    page = phone_page
    sign_in(page, "mariam@example.org")
    page.locator("main #due-heading ~ ul a.card-link").first.click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("dir") == "rtl"
    bar = page.locator("main [data-one-question-label]")
    expect(bar).to_be_visible()
    first = bar.inner_text()
    expect(page.locator("main .question-screen:visible")).to_have_count(1)
    check_page(page)
    page.locator("main .question-screen:visible label.choice").first.tap()
    expect(bar).not_to_have_text(first)
    expect(page.locator("main [data-nav='back']")).to_be_visible()
    check_page(page)
    sign_out(page)
