"""Diary journeys on a phone in Spanish (and a right-to-left check in Arabic), with axe-core."""

from __future__ import annotations

import re
import uuid

import pytest

from tests.browser.test_journeys import check_page, sign_in, sign_out

pytestmark = pytest.mark.browser


def _open_sections(page) -> None:
    for summary in page.locator("details.section > summary").all():
        if not summary.evaluate("el => el.parentElement.open"):
            summary.click()


def _save(page) -> None:
    page.locator("form.diary-form button[type=submit]").click()
    page.wait_for_load_state()


def test_spanish_patient_keeps_a_diary_on_a_phone(phone_page):
    page = phone_page
    sign_in(page, "paciente@example.org")
    assert page.locator("html").get_attribute("lang") == "es"
    assert page.locator("#diary-heading").is_visible()
    check_page(page)

    # Quick entry: three taps and save.
    page.locator("#diary-heading ~ p a[href*='/diary/quick']").click()
    page.wait_for_load_state()
    check_page(page)
    uuid.UUID(page.locator("input[name=submission_id]").input_value())  # set by diary.js
    page.locator("label[for=overall_symptoms-7]").click()
    page.locator("label[for=mood-3]").click()
    page.locator("label[for=sleep_quality-2]").click()
    _save(page)
    assert page.locator(".status-done").is_visible()
    check_page(page)

    # Full entry for the same day: the quick answers are there; add the rest.
    page.locator("#diary-heading ~ p a[href*='/diary/entry']").click()
    page.wait_for_load_state()
    assert page.locator("#mood-3").is_checked()
    page.locator("#symptom-pain").select_option("6")
    page.locator("#site-pain").select_option("lower_back")
    page.locator("label[for=stress-8]").click()
    _open_sections(page)
    check_page(page)
    page.locator("#bedtime").fill("03:00")
    page.locator("#wake_time").fill("02:00")  # wake before bed: refused, nothing saved
    _save(page)
    assert page.locator("#error-summary").is_visible()
    assert page.locator("#wake_time-error").is_visible()
    check_page(page)
    _open_sections(page)
    page.locator("#bedtime").fill("23:30")
    page.locator("#wake_time").fill("06:30")
    page.locator("label[for=trigger-work_stress]").click()
    page.locator("#activity-physical-done").fill("45")
    page.locator("#notes").fill("Día largo, pero caminé un poco.")
    _save(page)
    assert page.locator(".status-done").is_visible()

    # Edit yesterday's entry (back-fill window), then see its change history.
    page.goto(page.locator("#diary-heading ~ p a[href*='/diary/entry']").get_attribute("href"))
    assert page.locator("#notes").input_value() == "Día largo, pero caminé un poco."
    page.locator(".day-nav li").nth(1).locator("a").click()
    page.wait_for_load_state()
    yesterday_url = page.url
    page.locator("label[for=mood-9]").click()
    _save(page)
    page.goto(yesterday_url)
    assert page.locator("#mood-9").is_checked()
    assert page.locator("details.revisions li").count() >= 2
    check_page(page)

    # History: calendar and charts, 30 and 90 days.
    page.locator(".diary-links a[href$='/diary/history']").click()
    page.wait_for_load_state()
    assert page.locator("table.calendar").is_visible()
    assert page.locator("svg.chart").count() == 4
    check_page(page)
    page.locator(".span-nav a[href*='days=90']").click()
    page.wait_for_load_state()
    assert re.search(r"days=90", page.url)
    check_page(page)

    # Patterns found in the synthetic history.
    page.locator(".diary-links a[href$='/diary/patterns']").click()
    page.wait_for_load_state()
    assert page.locator("ul.patterns li").count() >= 1
    check_page(page)
    sign_out(page)


def test_arabic_diary_pages_mirror_and_fit(phone_page):
    page = phone_page
    sign_in(page, "mariam@example.org")
    assert page.locator("html").get_attribute("dir") == "rtl"
    page.goto("/diary")
    check_page(page)
    page.locator(".diary-links a[href$='/diary/history']").click()
    page.wait_for_load_state()
    assert page.locator("svg.chart g.plot[transform]").count() == 4
    check_page(page)
    page.goto(page.url.replace("/history", "/patterns"))
    check_page(page)
    sign_out(page)
