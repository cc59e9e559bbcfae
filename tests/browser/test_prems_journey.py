"""Experience survey journey (360 px, English): a clinician marks a follow-up done, the patient
answers CollaboRATE through the texted link in the phone simulator, and the coordinator sees
the aggregates: the demo's primary-care group above the threshold, smaller groups suppressed."""

from __future__ import annotations

import uuid
from datetime import datetime, time, timedelta
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from app.auth.models import User
from app.auth.services import set_phone
from app.careteam.models import ConsentChannel, Patient
from app.careteam.services import record_sms_consent
from app.db import db, utcnow
from app.followups import services as followups
from app.followups.models import Modality
from app.prems.models import PremSurvey
from app.prompts.services import plan_due_prompts
from app.sms.dispatch import dispatch_due
from app.sms.gateway import ConsoleGateway
from tests.browser.people import seeded_people
from tests.browser.test_journeys import check_page, sign_in, sign_out

pytestmark = pytest.mark.browser
NY = ZoneInfo("America/New_York")
PHONE = "+12025550186"


def test_patient_answers_collaborate_by_text_link_and_coordinator_sees_aggregates(phone_page, live):
    people = seeded_people(live, "en", "prems")
    with live.app.test_request_context():
        patient = db.session.get(Patient, uuid.UUID(people.patient_id))
        user = db.session.get(User, patient.user_id)
        set_phone(user=user, raw=PHONE)
        record_sms_consent(user=user, channel=ConsentChannel.PAPER, recorded_by=None)
        lead = db.session.scalar(select(User).where(User.email == people.email("clinician")))
        followups.schedule(
            patient=patient,
            clinician=lead,
            starts_at=utcnow() - timedelta(hours=1),
            modality=Modality.IN_PERSON,
            telehealth_url=None,
            actor=lead,
        )
        db.session.commit()

    page = phone_page
    sign_in(page, people.email("clinician"))
    page.goto(f"/patients/{people.patient_id}/followups")
    page.get_by_role("button", name="Mark as done").first.click()
    page.wait_for_load_state()
    assert "Follow-up updated." in page.locator("main").inner_text()
    sign_out(page)

    with live.app.app_context():
        survey = db.session.scalars(
            select(PremSurvey).where(PremSurvey.patient_id == patient.id)
        ).one()
        # Send the text at the next noon in the patient's zone (never in quiet hours, and the
        # link it carries is still valid now).
        local = utcnow().astimezone(NY)
        day = local.date() + timedelta(days=0 if local.hour < 12 else 1)
        noon = datetime.combine(day, time(12), NY)
        survey.invited_at = noon
        db.session.commit()
        plan_due_prompts(now=noon + timedelta(minutes=1))
        db.session.commit()
        dispatch_due(now=noon + timedelta(minutes=2), gateway=ConsoleGateway())

    sign_in(page, "clinician@example.org")  # the simulator is for signed-in staff
    page.goto("/dev/phone?phone=%2B12025550186")
    thread = page.locator(".sms-thread").inner_text()
    assert "how was your visit?" in thread
    check_page(page)
    href = page.locator(".sms-thread a[href*='/m/']").last.get_attribute("href")
    page.goto(urlsplit(href).path)  # the text names the public address; open it here
    page.get_by_role("button", name="Continue").click()
    page.wait_for_load_state()
    assert "/experience/" in page.url
    assert "How much effort was made to help you understand your health issues?" in (
        page.locator("main").inner_text()
    )
    check_page(page)
    page.get_by_role("button", name="Send my answers").click()  # nothing chosen: an error
    page.wait_for_load_state()
    assert "Answer at least one question" in page.locator("main").inner_text()
    check_page(page)
    for item in ("1", "2", "3"):
        page.locator(f"label[for='item_{item}-4']").click()
    page.get_by_role("button", name="Send my answers").click()
    page.wait_for_load_state()
    assert "Your answers were saved" in page.locator("main").inner_text()
    check_page(page)
    with live.app.app_context():
        saved = db.session.get(PremSurvey, survey.id)
        assert saved.top_score is True and saved.answers == {"1": 4, "2": 4, "3": 4}
    sign_out(page)

    sign_in(page, people.email("coordinator"))
    page.goto("/metrics")
    section = page.locator("section[aria-labelledby='prems-heading']")
    text = section.inner_text()
    assert "Primary care" in text and "%" in text  # the demo's group of 28 scored, shown
    assert "Fewer than 25 responses: not shown" in text  # psychology's 10, and today's 1
    check_page(page)
    sign_out(page)
