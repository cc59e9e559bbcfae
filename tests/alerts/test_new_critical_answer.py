"""A new critical answer while the earlier critical alert is still open emails everyone it is
routed to again (audited), and the inbox and the record show the newest occurrence first."""

from __future__ import annotations

import uuid
from datetime import timedelta

import time_machine
from sqlalchemy import select

from app.alerts.jobs import escalate
from app.alerts.models import Alert
from app.alerts.notify import notify_pending
from app.audit import AuditEvent
from app.auth.models import User
from app.careteam.models import Patient
from app.db import db, utcnow
from app.instruments import loader
from app.instruments import services as instruments
from tests.conftest import Auth
from tests.factories import PASSWORD
from tests.instruments.helpers import assign_once


def _phq9(patient_id, clinician_id, item9: int):
    patient = db.session.get(Patient, patient_id)
    _, occurrence = assign_once(patient, db.session.get(User, clinician_id), "phq9")
    return instruments.submit_response(
        occurrence=occurrence,
        patient=patient,
        definition=loader.registry()["phq9"],
        values={**{str(i): 1 for i in range(1, 9)}, "9": item9},
        locale="en",
        submission_key=uuid.uuid4(),
    )


def test_a_second_critical_answer_emails_again_and_shows_first(app, make):
    clinic = make.clinic()
    lead = make.clinician(clinic)
    coordinator = make.coordinator(clinic)
    patient = make.patient(clinic, team=[lead], name="Repeat Patient")
    outbox = app.extensions["heed.mail_outbox"]
    start = utcnow()
    with time_machine.travel(start, tick=False) as clock:
        with app.test_request_context():
            first = _phq9(patient.id, lead.id, 1)
            db.session.commit()
            assert notify_pending() == 1
            assert notify_pending() == 0
        assert {m.to for m in outbox} == {lead.email, coordinator.email}
        outbox.clear()

        clock.shift(timedelta(days=3))
        with app.test_request_context():
            second = _phq9(patient.id, lead.id, 3)
            [alert] = db.session.scalars(
                select(Alert).where(Alert.rule_code == "critical_answer")
            ).all()  # still one open critical alert
            assert alert.repeat_count == 1
            db.session.commit()
            assert notify_pending() == 1
            assert notify_pending() == 0  # once per new occurrence
            renotified = db.session.scalars(
                select(AuditEvent).where(AuditEvent.action == "alert.notify_again")
            ).all()
            assert [e.object_id for e in renotified] == [str(alert.id)]
        assert {m.to for m in outbox} == {lead.email, coordinator.email}
        assert all(m.subject == "Heed: an open urgent alert was raised again" for m in outbox)
        assert all("Repeat Patient" not in m.body for m in outbox)

    viewer = app.test_client()
    Auth(viewer).login(lead.email, PASSWORD)
    for url in ("/alerts", f"/patients/{patient.id}"):
        page = viewer.get(url).get_data(as_text=True)
        assert "2 occurrences, newest first" in page, url
        newest, oldest = page.index("PHQ-9 item 9: 3"), page.index("PHQ-9 item 9: 1")
        assert newest < oldest, url
    assert first.id != second.id


def test_a_repeat_after_escalation_is_emailed_once_to_the_whole_team(app, make):
    clinic = make.clinic()
    lead, member = make.clinician(clinic), make.clinician(clinic)
    patient = make.patient(clinic, team=[lead, member])
    outbox = app.extensions["heed.mail_outbox"]
    start = utcnow()
    with time_machine.travel(start, tick=False) as clock, app.test_request_context():
        _phq9(patient.id, lead.id, 2)
        notify_pending()
        clock.shift(app.config["ALERT_ESCALATION_AFTER"] + timedelta(minutes=1))
        escalate()
        notify_pending()
        outbox.clear()
        _phq9(patient.id, lead.id, 1)
        assert notify_pending() == 1
        assert {m.to for m in outbox} == {lead.email, member.email}
        assert notify_pending() == 0  # escalated already: no loop, no second escalation email
