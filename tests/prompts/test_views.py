"""Reminder settings: patients choose their reminder time and quiet hours."""

from __future__ import annotations

from datetime import time

from sqlalchemy import select

from app.db import db
from app.prompts.models import PromptSchedule

FORM = {
    "diary_enabled": "y",
    "diary_time": "20:15",
    "checkin_weekday": "6",
    "checkin_time": "18:00",
    "quiet_start": "22:00",
    "quiet_end": "07:00",
}


def schedule(app, user_id):
    with app.app_context():
        return db.session.scalar(select(PromptSchedule).where(PromptSchedule.user_id == user_id))


def test_patient_sets_reminder_time_and_quiet_hours(app, make, client, auth):
    patient = make.patient()
    auth.login(patient.user.email)
    page = client.get("/settings/reminders").get_data(as_text=True)
    assert 'value="19:30"' in page and 'value="21:00"' in page  # defaults
    response = auth.post("/settings/reminders", FORM, token_from="/settings/reminders")
    assert response.status_code == 302
    row = schedule(app, patient.user_id)
    assert (row.diary_time, row.quiet_start, row.quiet_end) == (time(20, 15), time(22), time(7))
    assert row.sms_diary_replies is False


def test_equal_quiet_hours_are_refused_and_nothing_is_saved(app, make, client, auth):
    patient = make.patient()
    auth.login(patient.user.email)
    data = {**FORM, "quiet_end": "22:00"}
    response = auth.post("/settings/reminders", data, token_from="/settings/reminders")
    assert response.status_code == 200
    assert "Quiet hours must start and end at different times." in response.get_data(as_text=True)
    assert schedule(app, patient.user_id) is None


def test_staff_have_no_reminder_settings(make, client, auth):
    auth.login(make.clinician().email)
    assert client.get("/settings/reminders").status_code == 404
