"""A patient sets a diary reminder inside quiet hours on a phone: it is saved, and the page says
it will not be sent, until the patient moves it."""

from __future__ import annotations

from datetime import time

import pytest
from sqlalchemy import select

from app.auth.models import User
from app.db import db
from app.prompts.models import PromptSchedule
from tests.browser.test_journeys import check_page, sign_in, sign_out

pytestmark = pytest.mark.browser
EMAIL = "sam@example.org"  # English, Los Angeles; no other journey changes this patient


def _saved_time(live) -> time:
    with live.app.app_context():
        user_id = db.session.scalar(select(User.id).where(User.email == EMAIL))
        return db.session.scalar(
            select(PromptSchedule.diary_time).where(PromptSchedule.user_id == user_id)
        )


def test_patient_saves_a_reminder_inside_quiet_hours_and_is_told(phone_page, live):
    page = phone_page
    sign_in(page, EMAIL)
    page.goto("/settings/reminders")
    check_page(page)
    assert page.locator("#quiet-warning").count() == 0
    page.locator("#diary_time").fill("22:00")
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()

    assert "Your reminders are saved." in page.locator(".flashes").inner_text()
    warning = page.locator("#quiet-warning").inner_text()
    assert "fall in your quiet hours" in warning and "will not be sent" in warning
    assert _saved_time(live) == time(22, 0)
    check_page(page)

    page.locator("#diary_time").fill("20:00")
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator("#quiet-warning").count() == 0
    assert _saved_time(live) == time(20, 0)
    sign_out(page)
