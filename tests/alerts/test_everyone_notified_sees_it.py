"""Whoever an urgent alert (or its escalation) is emailed to finds it in /alerts and can
acknowledge it there: the inbox and the email share one routing (`queries.routed`)."""

from __future__ import annotations

from datetime import timedelta

import time_machine

from app.alerts.jobs import escalate
from app.alerts.models import Alert, Severity
from app.alerts.notify import notify_pending
from app.alerts.queries import inbox_for, open_count_for
from app.auth.models import User
from app.careteam.models import CareTeamMembership
from app.db import db, utcnow
from tests.alerts.helpers import raise_test_alert
from tests.conftest import Auth
from tests.factories import PASSWORD


def _team(make):
    clinic = make.clinic()
    lead, member = make.clinician(clinic), make.clinician(clinic)
    coordinator = make.coordinator(clinic)
    patient = make.patient(clinic, team=[lead, member], name="Escalated Patient")
    return patient, lead, member, coordinator


def _inbox(app, user) -> str:
    viewer = app.test_client()
    Auth(viewer).login(user.email, PASSWORD)
    return viewer.get("/alerts").get_data(as_text=True)


def test_every_person_emailed_sees_the_alert_in_their_inbox(app, make):
    patient, lead, member, coordinator = _team(make)
    outbox = app.extensions["heed.mail_outbox"]
    start = utcnow()
    with time_machine.travel(start, tick=False) as clock:
        with app.test_request_context():
            alert = raise_test_alert(patient.id)
            raise_test_alert(patient.id, rule="no_diary", severity=Severity.NORMAL)
            db.session.commit()
            notify_pending()
        first = {m.to for m in outbox}
        assert first == {lead.email, coordinator.email}
        # Not yet escalated: the team member who was not emailed does not see it.
        assert "Escalated Patient" not in _inbox(app, member)
        for person in (lead, coordinator):
            assert "Escalated Patient" in _inbox(app, person)

        clock.shift(app.config["ALERT_ESCALATION_AFTER"] + timedelta(minutes=1))
        outbox.clear()
        with app.test_request_context():
            escalate()
            db.session.commit()
            notify_pending()
        emailed = {m.to for m in outbox}
        assert member.email in emailed
        for email in emailed | first:
            person = {u.email: u for u in (lead, member, coordinator)}[email]
            page = _inbox(app, person)
            assert "Escalated Patient" in page, email
            assert f"/alerts/{alert.id}/acknowledge" in page, email

        # The non-lead member sees the escalated urgent alert only, not the normal one.
        with app.test_request_context():
            member_user = db.session.get(User, member.id)
            items = inbox_for(member_user)
            assert [i.alert.id for i in items] == [alert.id]
            assert open_count_for(member_user) == 1  # the navigation badge agrees
        assert '<span class="count-badge">1</span>' in _inbox(app, member)

        # ... and acknowledges it from /alerts.
        viewer = app.test_client()
        member_auth = Auth(viewer)
        member_auth.login(member.email, PASSWORD)
        done = member_auth.post(
            f"/patients/{patient.id}/alerts/{alert.id}/acknowledge",
            {"note": "Called the patient back.", "next": "/alerts"},
            token_from="/alerts",
        )
        assert done.status_code == 302 and done.headers["Location"] == "/alerts"
        assert "Escalated Patient" not in viewer.get("/alerts").get_data(as_text=True)
    with app.app_context():
        stored = db.session.get(Alert, alert.id)
        assert stored.acknowledged_by_id == member.id


def test_a_member_who_left_the_team_no_longer_sees_escalated_alerts(app, make, ctx):
    patient, lead, member, _ = _team(make)
    alert = raise_test_alert(patient.id)
    alert.escalated_at = utcnow()
    membership = db.session.query(CareTeamMembership).filter_by(member_id=member.id).one()
    membership.ended_at = utcnow()
    db.session.flush()
    assert inbox_for(db.session.get(User, member.id)) == []
    assert open_count_for(db.session.get(User, lead.id)) == 1
