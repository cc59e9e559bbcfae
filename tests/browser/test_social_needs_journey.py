"""Social-needs screening on a phone (360 px), in English and in Spanish (the Hunger Vital Sign
has no confirmed official Spanish text: English with the substitution notice): the patient
answers the Hunger Vital Sign on the web with a positive result; the clinician sees "social
need to discuss" on the pre-visit summary with the suggested services (a stand-in directory
here: the referrals feature connects the real one). Nothing is sent."""

from __future__ import annotations

import uuid

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from app.auth.models import User
from app.careteam.models import Patient
from app.db import db
from tests.browser.people import seeded_people
from tests.browser.test_journeys import check_page, sign_in, sign_out
from tests.instruments.helpers import assign_once

pytestmark = pytest.mark.browser

HEADING = {"en": "Social need to discuss", "es": "Necesidad social a tratar"}


def _assign_hvs(live, people) -> None:
    with live.app.test_request_context():
        patient = db.session.get(Patient, uuid.UUID(people.patient_id))
        lead = db.session.scalar(select(User).where(User.email == people.email("clinician")))
        assign_once(patient, lead, "hvs")
        db.session.commit()


@pytest.mark.parametrize("locale", ["en", "es"])
def test_patient_screens_positive_and_the_clinician_sees_a_need_to_discuss(
    phone_page, live, locale
):
    people = seeded_people(live, locale, tag=f"social{uuid.uuid4().hex[:6]}")
    _assign_hvs(live, people)
    page = phone_page
    sign_in(page, people.email("patient"))
    page.locator("main a.card-link", has_text="Hunger Vital Sign").first.click()
    page.wait_for_load_state()
    if locale == "es":  # no official Spanish text: English, marked and announced
        assert page.locator("main div[lang='en']").count() >= 1
        assert page.locator("main .card.notice").count() == 1
    check_page(page)
    screen = page.locator("main .question-screen:visible")
    expect(screen).to_have_count(1)
    screen.locator("label.choice", has_text="Sometimes true").tap()
    screen = page.locator("main .question-screen:visible")
    expect(screen).to_contain_text("the food we bought just didn")
    screen.locator("label.choice", has_text="Never true").tap()
    page.locator("main button[value='submit']").wait_for()
    page.locator("main button[value='submit']").tap()
    page.wait_for_url("**/done")
    assert page.locator("main .crisis").count() == 0  # never a clinical alert
    check_page(page)
    sign_out(page)

    # the clinic's directory (app/referrals) answers with its food services: links to a
    # prefilled referral form, nothing sent
    sign_in(page, people.email("clinician"))
    page.goto(f"/patients/{people.patient_id}/summary")
    card = page.locator("main section.social-needs")
    expect(card).to_contain_text(HEADING[locale])
    link = card.locator("a[href*='need=food']").first
    assert "/referrals" in link.get_attribute("href")
    check_page(page)
    sign_out(page)
