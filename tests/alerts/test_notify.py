"""Urgent alerts are emailed to the people they are routed to, once when raised and once when
escalated, in each person's language, with no patient details; an SMTP outage is retried."""

from __future__ import annotations

from datetime import timedelta

import time_machine

from app.alerts import services
from app.alerts.jobs import escalate
from app.alerts.models import Severity
from app.alerts.notify import notify_pending
from app.auth.models import User
from app.careteam.models import CareTeamMembership
from app.db import db, utcnow
from tests.alerts.helpers import raise_test_alert


def _team(make):
    clinic = make.clinic()
    lead = make.clinician(clinic)
    other = make.clinician(clinic)
    coordinator = make.coordinator(clinic, locale="es")
    elsewhere = make.coordinator(make.clinic())
    patient = make.patient(clinic, team=[lead, other], name="Private Name")
    for membership in db.session.query(CareTeamMembership).filter_by(patient_id=patient.id):
        membership.is_lead = membership.member_id == lead.id
    db.session.flush()
    return patient, lead, other, coordinator, elsewhere


def test_a_new_urgent_alert_emails_the_lead_and_coordinators_once(app, make, ctx):
    patient, lead, _, coordinator, _ = _team(make)  # a coordinator elsewhere is not emailed
    outbox = app.extensions.setdefault("heed.mail_outbox", [])
    outbox.clear()
    raise_test_alert(patient.id, rule="no_diary", severity=Severity.NORMAL)  # not urgent: no email
    raise_test_alert(patient.id)
    assert notify_pending() == 1
    assert sorted(m.to for m in outbox) == sorted([lead.email, coordinator.email])
    spanish = next(m for m in outbox if m.to == coordinator.email)
    english = next(m for m in outbox if m.to == lead.email)
    assert english.subject == "Heed: an urgent alert needs your attention"
    assert spanish.subject != english.subject  # in the coordinator's language
    for message in outbox:
        assert "/alerts" in message.body
        assert "Private Name" not in message.body and str(patient.id) not in message.body
    assert notify_pending() == 0  # never twice
    assert len(outbox) == 2


def test_escalation_emails_the_whole_team_once(app, make, ctx):
    patient, lead, other, coordinator, _ = _team(make)
    outbox = app.extensions.setdefault("heed.mail_outbox", [])
    start = utcnow()
    with time_machine.travel(start, tick=False) as clock:
        raise_test_alert(patient.id)
        notify_pending()
        outbox.clear()
        clock.shift(app.config["ALERT_ESCALATION_AFTER"] + timedelta(minutes=1))
        assert escalate() == 1
        assert notify_pending() == 1
        assert sorted(m.to for m in outbox) == sorted([lead.email, other.email, coordinator.email])
        english = next(m for m in outbox if m.to == lead.email)
        assert english.subject == "Heed: an urgent alert is still not acknowledged"
        assert notify_pending() == 0


def test_acknowledged_alerts_are_not_emailed(app, make, ctx):
    patient, lead, *_ = _team(make)
    alert = raise_test_alert(patient.id)
    services.acknowledge(alert=alert, actor=db.session.get(User, lead.id), note="Called.")
    assert notify_pending() == 0


def test_an_smtp_outage_is_retried_on_the_next_run(app, make, ctx, monkeypatch):
    patient, *_ = _team(make)
    alert = raise_test_alert(patient.id)
    monkeypatch.setattr("app.alerts.notify.mail.send", lambda **_kw: False)
    assert notify_pending() == 0
    assert alert.notified_at is None
    monkeypatch.undo()
    assert notify_pending() == 1
    db.session.refresh(alert)
    assert alert.notified_at is not None
