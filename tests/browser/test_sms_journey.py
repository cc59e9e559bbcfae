"""Phone simulator journey: a demo patient's reminder arrives at their local time; STOP works."""

from __future__ import annotations

from datetime import date, time
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select, update

from app.auth.models import User
from app.careteam.models import Patient, SmsConsent, WithdrawalSource
from app.db import db
from app.prompts.planning import local_instant
from app.prompts.services import plan_due_prompts
from app.sms.dispatch import dispatch_due
from app.sms.gateway import ConsoleGateway
from tests.browser.test_journeys import check_page, sign_in, sign_out

pytestmark = pytest.mark.browser
NY = ZoneInfo("America/New_York")


def test_reminder_in_phone_simulator_then_stop_shows_in_the_message_log(phone_page, live):
    day = date(2027, 1, 12)
    with live.app.app_context():
        # Other journeys switch this demo patient's language; texts follow it, so pin English.
        db.session.execute(
            update(User).where(User.email == "patient@example.org").values(locale="en")
        )
        db.session.commit()
        plan_due_prompts(now=local_instant(day, time(19, 25), NY))
        db.session.commit()
        dispatch_due(now=local_instant(day, time(19, 30), NY), gateway=ConsoleGateway())
        user = db.session.scalars(select(User).where(User.email == "patient@example.org")).one()
        patient_id = db.session.scalar(select(Patient.id).where(Patient.user_id == user.id))

    page = phone_page
    page.goto("/dev/phone")
    assert page.locator("h1").count() == 1 and "/dev/phone" in page.url  # 403 page, not the phone
    assert page.locator("#body").count() == 0
    sign_in(page, "clinician@example.org")  # the simulator is for signed-in staff only
    page.goto("/dev/phone?phone=%2B12025550101")
    assert "time for today's diary" in page.locator("main").inner_text(), page.content()
    check_page(page)
    page.locator("#body").fill("STOP")
    page.locator("main form[method=post] button[type=submit]").click()
    page.wait_for_load_state()
    assert "no more texts" in page.locator(".sms-thread").inner_text()
    check_page(page)
    with live.app.app_context():
        consent = db.session.scalars(
            select(SmsConsent)
            .where(SmsConsent.user_id == user.id)
            .order_by(SmsConsent.granted_at.desc())
        ).first()
        assert consent.withdrawal_source == WithdrawalSource.STOP
    sign_out(page)

    sign_in(page, "patient@example.org")
    page.goto("/settings/reminders")
    assert page.locator("#diary_time").input_value() == "19:30"
    check_page(page)
    sign_out(page)

    sign_in(page, "coordinator@example.org")
    page.goto(f"/patients/{patient_id}/messages")
    assert "Opted out" in page.locator("main").inner_text()
    assert "Diary reminder" in page.locator("table").inner_text()
    check_page(page)
    sign_out(page)
