"""Reminder settings: patients choose their reminder time and quiet hours; caregivers their
check-in; a time inside quiet hours is saved and the page says what will happen to it."""

from __future__ import annotations

from datetime import time
from html.parser import HTMLParser

import pytest
from sqlalchemy import select

from app.careteam.models import ConsentScope
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
PAGE = "/settings/reminders"


class _DisplayedForms(HTMLParser):
    """What a browser would submit from each POST form of a page, before any change."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[dict[str, str]] = []
        self._form: dict[str, str] | None = None
        self._select: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and a.get("method") == "post":
            self._form = {}
            self.forms.append(self._form)
        if self._form is None:
            return
        if tag == "input" and a.get("name"):
            kind = a.get("type", "text")
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            if kind != "submit":
                self._form[a["name"]] = a.get("value", "on" if kind == "checkbox" else "")
        elif tag == "select":
            self._select = a["name"]
        elif tag == "option" and self._select and "selected" in a:
            self._form[self._select] = a["value"]

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "form":
            self._form = None


def displayed_form(client) -> dict[str, str]:
    """The reminder form's fields as rendered (the page's other forms: sign out, language)."""
    parser = _DisplayedForms()
    parser.feed(client.get(PAGE).get_data(as_text=True))
    (form,) = [form for form in parser.forms if "quiet_start" in form]
    return form


def save_as_displayed(client, **changes: str):
    """GET the page, keep every field as rendered, change some, POST it back."""
    fields = displayed_form(client)
    assert set(changes) <= set(fields), f"not on the page: {set(changes) - set(fields)}"
    return client.post(PAGE, data={**fields, **changes}, follow_redirects=True)


def schedule(app, user_id):
    with app.app_context():
        return db.session.scalar(select(PromptSchedule).where(PromptSchedule.user_id == user_id))


def test_patient_sets_reminder_time_and_quiet_hours(app, make, client, auth):
    patient = make.patient()
    auth.login(patient.user.email)
    page = client.get(PAGE).get_data(as_text=True)
    assert 'value="19:30"' in page and 'value="21:00"' in page  # defaults
    response = auth.post(PAGE, FORM, token_from=PAGE)
    assert response.status_code == 302
    row = schedule(app, patient.user_id)
    assert (row.diary_time, row.quiet_start, row.quiet_end) == (time(20, 15), time(22), time(7))
    assert row.sms_diary_replies is False


def test_patient_saves_the_form_as_displayed(app, make, client, auth):
    """Fields the patient's page does not show (the caregiver check-in) do not block the save."""
    patient = make.patient()
    auth.login(patient.user.email)
    assert "checkin_time" not in displayed_form(client)
    page = save_as_displayed(client, diary_time="20:45").get_data(as_text=True)
    assert "Your reminders are saved." in page
    assert "Please correct the highlighted fields." not in page
    row = schedule(app, patient.user_id)
    assert (row.diary_time, row.diary_enabled) == (time(20, 45), True)
    assert (row.checkin_weekday, row.checkin_time) == (6, time(18))  # untouched defaults
    assert 'id="quiet-warning"' not in page


def test_caregiver_saves_the_form_as_displayed(app, make, client, auth):
    caregiver, _ = make.caregiver(make.patient(), scopes=[ConsentScope.RECEIVE_CHECKINS])
    auth.login(caregiver.email)
    assert "diary_time" not in displayed_form(client)
    page = save_as_displayed(client, checkin_time="17:15", checkin_weekday="2").get_data(
        as_text=True
    )
    assert "Your reminders are saved." in page
    row = schedule(app, caregiver.id)
    assert (row.checkin_weekday, row.checkin_time) == (2, time(17, 15))
    assert row.diary_time == time(19, 30)


def test_reminder_inside_quiet_hours_is_saved_and_the_page_says_it_will_not_be_sent(
    app, make, client, auth
):
    patient = make.patient()
    auth.login(patient.user.email)
    page = save_as_displayed(client, diary_time="22:00").get_data(as_text=True)
    assert "Your reminders are saved." in page
    assert schedule(app, patient.user_id).diary_time == time(22)
    assert (
        "Texts at your diary reminder time (10:00\u202fPM) fall in your quiet hours "
        "(9:00\u202fPM\u20138:00\u202fAM), so they will not be sent."
    ) in page
    # The warning stays while the conflict lasts, and goes once it is resolved.
    assert 'id="quiet-warning"' in client.get(PAGE).get_data(as_text=True)
    page = save_as_displayed(client, diary_time="20:30").get_data(as_text=True)
    assert 'id="quiet-warning"' not in page


def test_reminder_before_quiet_hours_end_says_when_it_is_sent(app, make, client, auth):
    patient = make.patient()
    auth.login(patient.user.email)
    page = save_as_displayed(client, diary_time="06:30").get_data(as_text=True)
    assert "so they will be sent at 8:00\u202fAM, when your quiet hours end." in page


@pytest.mark.parametrize(
    ("locale", "expected"),
    [
        ("de", "(22:00)"),
        ("es", "(22:00)"),
        ("fr", "(22:00)"),
        ("pt", "(22:00)"),
        ("ar", "10:00"),
    ],
)
def test_quiet_hours_warning_in_the_viewers_language(app, make, client, auth, locale, expected):
    caregiver, _ = make.caregiver(make.patient(), scopes=[ConsentScope.RECEIVE_CHECKINS])
    auth.login(caregiver.email)
    with app.app_context():
        db.session.get(type(caregiver), caregiver.id).locale = locale
        db.session.commit()
    page = save_as_displayed(client, checkin_time="22:00").get_data(as_text=True)
    warning = page.split('id="quiet-warning">', 1)[1].split("</p>", 1)[0]
    assert "check-in" not in warning  # translated, not English
    assert expected in warning


def test_equal_quiet_hours_are_refused_and_nothing_is_saved(app, make, client, auth):
    patient = make.patient()
    auth.login(patient.user.email)
    data = {**FORM, "quiet_end": "22:00"}
    response = auth.post(PAGE, data, token_from=PAGE)
    assert response.status_code == 200
    assert "Quiet hours must start and end at different times." in response.get_data(as_text=True)
    assert schedule(app, patient.user_id) is None


def test_staff_have_no_reminder_settings(make, client, auth):
    auth.login(make.clinician().email)
    assert client.get(PAGE).status_code == 404
