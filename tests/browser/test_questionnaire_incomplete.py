"""Defect 3 in the browser: a questionnaire with a skipped question is not sent silently. With
the script (one question per screen, 360 px) and without it (the whole form)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.fixtures import PHONE
from tests.browser.test_journeys import check_page, sign_in

pytestmark = pytest.mark.browser


def _open_due(page, title: str) -> None:
    page.locator("main a.card-link", has_text=title).first.click()
    page.wait_for_load_state()


def test_skipping_a_question_asks_before_sending(phone_page):
    page = phone_page
    sign_in(page, "sam@example.org")
    _open_due(page, "GAD-7")
    bar = page.locator("main [data-one-question-label]")
    expect(bar).to_have_text("Question 1 of 7")
    expect(page.locator("main [data-nav='back']")).to_be_hidden()
    page.locator("main .question-screen:visible label.choice").nth(1).tap()
    expect(bar).to_have_text("Question 2 of 7")
    page.locator("main [data-nav='back']").tap()  # back: the answer is still chosen
    expect(bar).to_have_text("Question 1 of 7")
    assert page.locator("#item_1-1").is_checked()
    page.locator("main [data-nav='next']").tap()
    page.locator("main [data-nav='skip']").tap()  # question 2 skipped
    expect(bar).to_have_text("Question 3 of 7")
    for _ in range(5):
        page.locator("main .question-screen:visible label.choice").first.tap()
        page.wait_for_timeout(400)
    expect(bar).to_have_text("That was the last question.")
    check_page(page)
    page.locator("main button[value='submit']").tap()
    page.wait_for_load_state()

    summary = page.locator("#unanswered")
    expect(summary).to_be_focused()
    assert "1 question has no answer yet" in summary.inner_text()
    check_page(page)
    summary.locator("a.button", has_text="Answer them").tap()
    expect(bar).to_have_text("Question 2 of 7")
    page.locator("main .question-screen:visible label.choice").first.tap()
    expect(bar).to_have_text("That was the last question.")  # nothing else left to answer
    page.locator("main button[value='submit']").tap()
    page.wait_for_url("**/done")
    check_page(page)


def test_without_script_the_whole_form_asks_then_sends_incomplete(browser, live_server):
    context = browser.new_context(viewport=PHONE, java_script_enabled=False, base_url=live_server)
    page = context.new_page()
    try:
        sign_in_without_script(page, "priya@example.org")
        _open_due(page, "GAD-7")
        assert page.locator("main fieldset.question:visible").count() == 7
        page.get_by_role("radio").first.check()
        page.locator("main button[value='submit']").click()
        page.wait_for_load_state()
        summary = page.locator("#unanswered")
        assert "6 questions have no answer yet" in summary.inner_text()
        links = summary.locator("li a")
        assert links.count() == 6
        assert links.first.get_attribute("href") == "#question-item_2"
        assert page.locator("#item_1-0").is_checked()  # the answer is kept
        summary.locator("a.button", has_text="Answer them").click()
        assert page.url.endswith("#question-item_2")
        page.locator("button[value='send_incomplete']").click()
        page.wait_for_url("**/done")
    finally:
        context.close()


def sign_in_without_script(page, email: str) -> None:
    from app.demo import DEMO_PASSWORD

    page.goto("/auth/login")
    page.locator("#email").fill(email)
    page.locator("#password").fill(DEMO_PASSWORD)
    page.locator("form.stack button[type=submit]").click()
    page.wait_for_load_state()
