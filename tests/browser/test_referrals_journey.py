"""Referral journeys on a phone (360 px), in English and Spanish: a social worker refers a
patient to the community food bank; the service accepts and reports "completed" through its
one-time links; the referrer is told; the patient answers "Got help" from the text message in
the phone simulator; the metrics count it. An internal referral to psychiatry is declined with
a reason and re-routed."""

from __future__ import annotations

import re
import uuid
from datetime import time, timedelta

import pytest
from sqlalchemy import select, update

from app.auth.models import Discipline, Role, User
from app.auth.services import set_phone
from app.careteam import services as careteam
from app.careteam.models import Clinic, ConsentChannel, Patient
from app.db import db
from app.demo import CLINIC_NAME
from app.diary.queries import local_today, patient_zone
from app.prompts.planning import local_instant
from app.prompts.services import plan_due_prompts
from app.referrals.models import CommunityService, Referral
from app.sms.dispatch import dispatch_due
from app.sms.gateway import ConsoleGateway
from tests.browser.people import People, _user, seeded_people
from tests.browser.test_journeys import check_page, open_menu, sign_in, sign_out

pytestmark = pytest.mark.browser
PHONES = {"en": "+12025550171", "es": "+12025550172"}
WORDS = {
    "en": {
        "sent": "Referral sent.",
        "news": "News about referrals you sent",
        "got": "Got help",
        "declined": "Declined",
        "reroute": "Re-route to someone else",
        "sms": "did you get the help",
    },
    "es": {
        "sent": "Derivación enviada.",
        "news": "Novedades de las derivaciones que envió",
        "got": "Recibí ayuda",
        "declined": "Rechazada",
        "reroute": "Redirigir a otra persona",
        "sms": "le dieron la ayuda",
    },
}


def _setup(live, locale: str) -> tuple[People, str, str]:
    people = seeded_people(live, locale, tag="refer")
    worker_email = people.email("socialworker")
    psychiatrist_email = people.email("psychiatrist")
    with live.app.app_context(), db.transaction():
        if db.session.scalar(select(User.id).where(User.email == worker_email)) is None:
            clinic = db.session.scalar(select(Clinic).where(Clinic.name == CLINIC_NAME))
            worker = _user(
                worker_email, Role.CLINICIAN, locale, clinic, discipline=Discipline.SOCIAL_WORK
            )
            _user(
                psychiatrist_email, Role.CLINICIAN, locale, clinic, discipline=Discipline.PSYCHIATRY
            )
            patient = db.session.get(Patient, uuid.UUID(people.patient_id))
            careteam.add_to_team(patient=patient, member=worker, is_lead=False)
            set_phone(user=patient.user, raw=PHONES[locale])
            careteam.record_sms_consent(
                user=patient.user, channel=ConsentChannel.PAPER, recorded_by=None
            )
    return people, worker_email, psychiatrist_email


@pytest.mark.parametrize("locale", ["en", "es"])
def test_food_bank_referral_closes_the_loop(phone_page, live, locale):
    people, worker, _psychiatrist = _setup(live, locale)
    words = WORDS[locale]
    page = phone_page
    sign_in(page, worker)
    page.goto(f"/patients/{people.patient_id}/referrals")
    check_page(page)
    page.locator("input[name=target_kind][value=service]").check()
    with live.app.app_context():
        bank = db.session.scalar(
            select(CommunityService.id).where(
                CommunityService.name == "Riverside Community Food Bank"
            )
        )
    page.locator("#service").select_option(str(bank))
    page.locator("#reason").fill("Food parcel, screened positive")
    page.locator("input[name=shared][value=contact]").check()
    page.locator("#consent").check()
    page.locator("button[name=action][value=send]").click()
    page.wait_for_load_state()
    assert words["sent"] in page.locator("main").inner_text()
    check_page(page)
    link = page.locator("code.one-time-link").inner_text()
    token = link.rsplit("/r/", 1)[1]
    sign_out(page)

    page.goto(f"/r/{token}")
    assert "Food parcel, screened positive" in page.locator("main").inner_text()
    check_page(page)
    page.locator("button[name=status][value=accepted]").click()
    page.wait_for_load_state()
    check_page(page)
    outcome = page.locator("code.one-time-link").inner_text().rsplit("/r/", 1)[1]
    page.goto(f"/r/{outcome}")
    page.locator("button[name=status][value=completed]").click()  # no outcome: refused
    page.wait_for_load_state()
    assert page.locator("#note[aria-invalid=true]").count() == 1
    check_page(page)
    page.locator("#note").fill("Parcel collected, registered for weekly visits")
    page.locator("button[name=status][value=completed]").click()
    page.wait_for_load_state()
    page.goto(f"/r/{token}")
    assert page.locator("h1").count() == 1  # the used link: a localized "no longer works" page

    sign_in(page, worker)
    assert words["news"] in page.locator("main").inner_text()
    check_page(page)
    sign_out(page)

    with live.app.app_context(), db.transaction():
        patient = db.session.get(Patient, uuid.UUID(people.patient_id))
        zone = patient_zone(patient)
        day = local_today(patient)
        asked = local_instant(day, time(12, 0), zone) - timedelta(days=17)  # routine: 14 + 3 days
        db.session.execute(
            update(Referral).where(Referral.patient_id == patient.id).values(requested_at=asked)
        )
    with live.app.app_context():
        plan_due_prompts(now=local_instant(day, time(19, 25), zone))
        db.session.commit()
        dispatch_due(now=local_instant(day, time(19, 30), zone), gateway=ConsoleGateway())

    sign_in(page, "clinician@example.org")  # the simulator is for signed-in staff
    page.goto(f"/dev/phone?phone={PHONES[locale].replace('+', '%2B')}")
    thread = page.locator(".sms-thread").inner_text()
    assert "Riverside" not in thread  # the text names no service
    texts = page.locator(".sms-text").all_inner_texts()
    asking = [t for t in texts if words["sms"] in t]
    assert asking, texts
    magic = re.findall(r"/m/([A-Za-z0-9_-]+)", asking[-1])[0]
    page.goto(f"/m/{magic}")
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    check_page(page)
    page.locator("input[name=answer][value=got_help]").check()
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    sign_in(page, people.email("patient"))
    assert words["got"] in page.locator("main").inner_text()
    check_page(page)
    sign_out(page)

    sign_in(page, people.email("coordinator"))
    page.goto("/metrics")
    confirmed = page.locator("#referral-confirmed").inner_text()
    assert "%" in confirmed
    check_page(page)
    sign_out(page)


@pytest.mark.parametrize("locale", ["en", "es"])
def test_psychiatry_referral_declined_and_rerouted(phone_page, live, locale):
    people, worker, psychiatrist = _setup(live, locale)
    words = WORDS[locale]
    page = phone_page
    sign_in(page, worker)
    open_menu(page)
    page.goto(f"/patients/{people.patient_id}/referrals")
    page.locator("#discipline").select_option("psychiatry")
    page.locator("#reason").fill("Medication review")
    page.locator("button[name=action][value=send]").click()
    page.wait_for_load_state()
    referral_url = page.url
    check_page(page)
    sign_out(page)

    sign_in(page, psychiatrist)
    page.goto(referral_url)
    page.locator("button[name=status][value=rejected]").click()  # no reason: refused
    page.wait_for_load_state()
    assert page.locator("#note[aria-invalid=true]").count() == 1
    check_page(page)
    page.locator("#note").fill("Primary care can start this review")
    page.locator("button[name=status][value=rejected]").click()
    page.wait_for_load_state()
    assert words["declined"] in page.locator("main").inner_text()
    sign_out(page)

    sign_in(page, worker)
    page.goto(referral_url)
    page.get_by_role("link", name=words["reroute"]).click()
    page.wait_for_load_state()
    check_page(page)
    page.locator("#discipline").select_option("primary_care")
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    assert "/referrals/" in page.url and page.url != referral_url
    check_page(page)
    sign_out(page)
