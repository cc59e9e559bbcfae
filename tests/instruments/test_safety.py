"""The critical-answer path end to end: crisis resources at once, urgent alert, acknowledgement."""

from __future__ import annotations

import re

from sqlalchemy import select

from app.alerts.models import Alert, CrisisResource
from app.careteam.models import Patient
from app.db import db
from tests.conftest import csrf_from
from tests.factories import PASSWORD
from tests.instruments.conftest import build


def _configure_crisis_lines(app, patient: Patient) -> None:
    with app.app_context():
        for locale, label, contact in [
            ("es", "Línea de prueba (ficticia)", "555-0142"),
            ("en", "Test line (fictional)", "555-0143"),
        ]:
            db.session.add(
                CrisisResource(
                    clinic_id=patient.clinic_id, locale=locale, label=label, contact=contact
                )
            )
        db.session.commit()


def test_critical_answer_end_to_end(app, make, client, auth):
    s = build(app, make, locale="es", readable=["en"])
    _configure_crisis_lines(app, s.patient)
    auth.login(s.patient.user.email, PASSWORD)

    # Step mode: answering item 9 with "several days" shows crisis resources on the next screen.
    url = f"{s.answer_url}?step=8"
    html = client.get(url).get_data(as_text=True)
    key = re.search(r'name="submission_key" type="hidden" value="([^"]+)"', html).group(1)
    moved = client.post(
        url,
        data={
            "csrf_token": csrf_from(html),
            "submission_key": key,
            "item_9": "1",
            "action": "next",
        },
    )
    assert moved.status_code == 302
    nxt = client.get(moved.headers["Location"]).get_data(as_text=True)
    assert 'class="card crisis"' in nxt
    assert "555-0142" in nxt and "Línea de prueba (ficticia)" in nxt  # the clinic's, in Spanish
    assert "555-0143" not in nxt

    with app.app_context():
        [alert] = db.session.scalars(select(Alert)).all()
        assert (alert.rule_code, alert.severity, alert.patient_id) == (
            "critical_answer",
            "urgent",
            s.patient.id,
        )
        assert alert.acknowledged_at is None

    # Saving again never duplicates the alert.
    html = client.get(url).get_data(as_text=True)
    client.post(url, data={"csrf_token": csrf_from(html), "item_9": "2", "action": "next"})
    with app.app_context():
        assert len(db.session.scalars(select(Alert)).all()) == 1
    auth.logout()

    # The clinician sees it on the patient page and acknowledges it with a note.
    auth.login(s.clinician.email, PASSWORD)
    record = client.get(f"/patients/{s.patient.id}").get_data(as_text=True)
    assert 'id="alerts-heading"' in record and f"/alerts/{alert.id}/acknowledge" in record
    ack_url = f"/patients/{s.patient.id}/alerts/{alert.id}/acknowledge"
    empty = client.post(ack_url, data={"csrf_token": csrf_from(record), "note": " "})
    assert empty.status_code == 400 and 'aria-invalid="true"' in empty.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Alert, alert.id).acknowledged_at is None  # a note is required
    done = client.post(ack_url, data={"csrf_token": csrf_from(record), "note": "Phoned; safe."})
    assert done.status_code == 302
    with app.app_context():
        stored = db.session.get(Alert, alert.id)
        assert stored.acknowledged_by_id == s.clinician.id and stored.note == "Phoned; safe."
    record = client.get(f"/patients/{s.patient.id}").get_data(as_text=True)
    assert f"/alerts/{alert.id}/acknowledge" not in record and "Phoned; safe." in record


def test_page_mode_submission_shows_crisis_on_confirmation(app, make, client, auth):
    s = build(app, make)
    _configure_crisis_lines(app, s.patient)
    auth.login(s.patient.user.email, PASSWORD)
    url = f"{s.answer_url}?mode=page"
    html = client.get(url).get_data(as_text=True)
    key = re.search(r'name="submission_key" type="hidden" value="([^"]+)"', html).group(1)
    answers = {f"item_{i}": "0" for i in range(1, 9)} | {"item_9": "3", "item_difficulty": "0"}
    data = {"csrf_token": csrf_from(html), "submission_key": key, "action": "submit", **answers}
    done = client.post(url, data=data, follow_redirects=True).get_data(as_text=True)
    assert 'class="card crisis"' in done and "555-0143" in done
    with app.app_context():
        assert len(db.session.scalars(select(Alert)).all()) == 1


def test_a_critical_answer_in_an_incomplete_submission_alerts_while_asking(app, make, client, auth):
    s = build(app, make)
    _configure_crisis_lines(app, s.patient)
    auth.login(s.patient.user.email, PASSWORD)
    html = client.get(s.answer_url).get_data(as_text=True)
    key = re.search(r'name="submission_key" type="hidden" value="([^"]+)"', html).group(1)
    data = {"csrf_token": csrf_from(html), "submission_key": key, "action": "submit"}
    asked = client.post(s.answer_url, data={**data, "item_9": "2"})
    page = asked.get_data(as_text=True)
    assert asked.status_code == 200 and "9 questions have no answer yet" in page
    assert 'class="card crisis"' in page  # shown before the patient decides
    with app.app_context():
        assert len(db.session.scalars(select(Alert)).all()) == 1


def test_no_alert_for_item_9_at_zero(app, make, client, auth):
    s = build(app, make)
    auth.login(s.patient.user.email, PASSWORD)
    url = f"{s.answer_url}?step=8"
    html = client.get(url).get_data(as_text=True)
    client.post(url, data={"csrf_token": csrf_from(html), "item_9": "0", "action": "next"})
    with app.app_context():
        assert db.session.scalars(select(Alert)).all() == []
