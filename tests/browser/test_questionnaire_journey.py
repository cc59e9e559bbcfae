"""A Spanish-speaking patient completes PHQ-9 in its official Spanish (USA) text on a phone; the
clinician sees the language and country version, and the substitution for her other instruments."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.test_journeys import check_page, sign_in, sign_out

pytestmark = pytest.mark.browser


def test_patient_completes_phq9_in_spanish_ui_on_a_phone(phone_page):
    page = phone_page
    sign_in(page, "paciente@example.org")
    assert page.locator("html").get_attribute("lang") == "es"
    assert page.locator("#due-heading").is_visible()
    check_page(page)

    page.locator("main a.card-link", has_text="PHQ-9").first.click()
    page.wait_for_load_state()
    # The official Spanish (USA) PHQ-9 ships: no substitution notice, the form's own footer.
    assert page.locator("main div[lang='es-US'] .question:visible").count() == 1
    assert page.locator("main .card.notice").count() == 0
    assert page.locator("main .instrument-footer").inner_text().startswith("Elaborado por")
    check_page(page)

    # One question per screen on a phone: tapping an answer moves on; nothing else is pressed.
    bar = page.locator("main [data-one-question-label]")
    for step in range(10):  # nine items and the difficulty question
        expect(bar).to_have_text(f"Pregunta {step + 1} de 10")
        expect(page.locator("main .question-screen:visible")).to_have_count(1)
        page.locator("main .question-screen:visible label.choice").first.tap()
        if step == 0:
            expect(page.locator("#question-item_2")).to_be_focused()
            check_page(page)
    page.locator("main button[value='submit']").wait_for()
    check_page(page)
    page.locator("main button[value='submit']").tap()
    page.wait_for_url("**/done")
    assert page.locator("main .crisis").count() == 0
    check_page(page)
    sign_out(page)

    sign_in(page, "clinician@example.org")
    page.locator("main .card-link", has_text="Lucía Fernández").click()
    page.wait_for_load_state()
    assert page.locator("#scores-heading").is_visible()
    phq9 = page.locator("#scores table", has_text="PHQ-9").first
    assert "Spanish (United States)" in phq9.inner_text()
    # GAD-7 and PHQ-15 have no official Spanish text yet: answered in English, flagged.
    assert page.locator("#scores table", has_text="GAD-7").locator("td .flag").first.is_visible()
    check_page(page)

    page.locator("#scores a.button", has_text="Assign a questionnaire").click()
    page.wait_for_load_state()
    check_page(page)
    page.get_by_label("Does not apply: the item is left out").check()
    page.locator("#period-item button[type='submit']").click()
    page.wait_for_url("**/questionnaires/assign#period-item")
    assert page.get_by_label("Does not apply: the item is left out").is_checked()
    check_page(page)
    sign_out(page)
