"""Dates (issue 14, defect 10): one set of Babel formats in the viewer's zone, defaults from the
viewer's local date, exclusive ends read as "until end of <day>", and no other date format in
the templates or the views."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine
from flask_babel import force_locale

from app.auth.models import Role, User
from app.db import db
from app.i18n import formatting
from tests.factories import PASSWORD
from tests.instruments.helpers import assign_once

LA = ZoneInfo("America/Los_Angeles")
# 23:30 on Dec 3 in Los Angeles is already Dec 4 in UTC (07:30).
LA_EVENING = datetime(2026, 12, 3, 23, 30, tzinfo=LA)
APP = Path(__file__).resolve().parents[2] / "app"


def test_viewer_today_is_the_viewers_local_date_not_the_servers(app):
    with app.test_request_context(), time_machine.travel(LA_EVENING, tick=False):
        assert formatting.local(datetime.now(UTC), "America/Los_Angeles").date() == date(
            2026, 12, 3
        )
        assert formatting.viewer_today() == date(2026, 12, 4)  # anonymous: the default, UTC


def test_due_date_default_is_the_clinicians_local_date_in_the_evening(make, client, auth):
    with time_machine.travel(LA_EVENING, tick=False):
        clinician = make.clinician(timezone="America/Los_Angeles")
        patient = make.patient(team=[clinician])
        auth.login(clinician.email, PASSWORD)
        html = client.get(f"/patients/{patient.id}/questionnaires/assign").get_data(as_text=True)
    (field,) = re.findall(r'<input[^>]*name="start_date"[^>]*>', html)
    assert 'value="2026-12-03"' in field


def test_metrics_period_ends_on_the_coordinators_local_date(make, client, auth):
    with time_machine.travel(LA_EVENING, tick=False):
        clinic = make.clinic()
        coordinator = make.coordinator(clinic, timezone="America/Los_Angeles")
        auth.login(coordinator.email, PASSWORD)
        html = client.get("/metrics").get_data(as_text=True)
    assert 'id="end" name="end" value="2026-12-03" max="2026-12-03"' in html


@pytest.mark.parametrize(
    ("locale", "midnight", "evening"),
    [
        ("en", "until end of Dec 3", "until Dec 3, 2026, 6:00\u202fPM"),
        ("es", "hasta el final del 3 dic", "hasta el 3 dic 2026, 18:00"),
    ],
)
def test_an_exclusive_end_at_midnight_reads_as_the_end_of_the_day_before(
    app, locale, midnight, evening
):
    with app.test_request_context(), force_locale(locale):
        end = datetime(2026, 12, 4, 0, 0, tzinfo=LA)
        assert formatting.until(end, zone="America/Los_Angeles") == midnight
        six_pm = datetime(2026, 12, 3, 18, 0, tzinfo=LA).astimezone(UTC)
        assert formatting.until(six_pm, zone=LA) == evening


def test_the_questionnaire_page_says_until_end_of_the_last_open_day(make, client, auth):
    with time_machine.travel(LA_EVENING, tick=False):
        clinician = make.clinician()
        patient = make.patient(team=[clinician], timezone="America/Los_Angeles")
        with make.app.test_request_context():
            _, occurrence = assign_once(patient, db.session.get(User, clinician.id))
            db.session.commit()
            occurrence_id, closes_at = occurrence.id, occurrence.closes_at
        auth.login(patient.user.email, PASSWORD)
        html = client.get(f"/patients/{patient.id}/questionnaires/{occurrence_id}").get_data(
            as_text=True
        )
    last_day, whole = formatting.last_day(closes_at, LA)
    assert whole and last_day == date(2026, 12, 5)  # a 3-day window from Dec 3
    assert "Open until end of Dec 5" in html
    assert "12:00" not in html


def test_the_record_shows_the_same_enrollment_date_to_the_admin_and_the_team(make, client, auth):
    """Staff an admin invites take their clinic's zone, so dates read alike across the clinic."""
    clinic = make.clinic()  # Europe/Berlin
    admin = make.admin(timezone="Europe/Berlin")
    auth.login(admin.email, PASSWORD)
    response = auth.post(
        "/admin/invite",
        {
            "email": "newstaff@example.org",
            "display_name": "New Staff",
            "role": Role.COORDINATOR.value,
            "discipline": "",
            "clinic": str(clinic.id),
        },
        token_from="/admin/invite",
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    with make.app.app_context():
        invited = db.session.query(User).filter_by(email="newstaff@example.org").one()
        assert invited.timezone == "Europe/Berlin"


# A date reaches people only through app/i18n/formatting.py: no Babel pattern, strftime or
# Flask-Babel's own filters anywhere else (machine formats such as ISO dates in URLs, form
# values and exports are fine).
RAW_IN_TEMPLATES = re.compile(
    r"\|\s*(dateformat|datetimeformat|timeformat|timedeltaformat)\b|strftime"
)
ISO_AS_TEXT = re.compile(r">[^<]*\{\{[^}]*isoformat\(\)[^}]*\}\}")
RAW_IN_PYTHON = re.compile(
    r"\b(format_date|format_datetime|format_time|format_skeleton)\(|\.strftime\("
)
MACHINE_FORMATS = {"fhir.py", "data_rights.py"}


def test_templates_format_dates_only_through_the_shared_filters():
    found = []
    for path in APP.rglob("*.html"):
        for number, line in enumerate(path.read_text().splitlines(), 1):
            if RAW_IN_TEMPLATES.search(line) or ISO_AS_TEXT.search(line):
                found.append(f"{path.relative_to(APP)}:{number}")
    assert not found, f"format dates with the app/i18n/formatting.py filters: {found}"


def test_views_format_dates_only_through_app_i18n_formatting():
    found = []
    for path in APP.rglob("*.py"):
        if path.name in MACHINE_FORMATS or path == APP / "i18n" / "formatting.py":
            continue
        for number, line in enumerate(path.read_text().splitlines(), 1):
            if RAW_IN_PYTHON.search(line):
                found.append(f"{path.relative_to(APP)}:{number}")
    assert not found, f"format dates with app.i18n.formatting: {found}"


def test_capfirst_keeps_the_rest_of_a_label():
    assert formatting.capfirst("weniger als 6 Stunden Schlaf") == "Weniger als 6 Stunden Schlaf"
    assert formatting.capfirst("") == "" and formatting.capfirst(None) == ""
