"""One open alert per rule, escalation on time, an inbox routed to lead and coordinator."""

from __future__ import annotations

import uuid
from datetime import timedelta

import time_machine
from sqlalchemy import func, select

from app.alerts import services
from app.alerts.jobs import escalate, evaluate_diary_rules
from app.alerts.models import Alert, AlertSettings, AlertSource, Severity
from app.auth.models import User
from app.careteam.models import Patient
from app.db import db, utcnow
from app.diary.models import DiaryEntry, EntryMode
from app.instruments import loader
from app.instruments import services as instruments
from app.signals import alert_raised
from tests.conftest import Auth
from tests.factories import PASSWORD
from tests.instruments.helpers import assign_once


def _raise(patient_id, source=None, severity=Severity.NORMAL, rule="no_diary"):
    return services.raise_alert(
        patient_id=patient_id,
        rule_code=rule,
        severity=severity,
        source_type="test",
        source_id=source or uuid.uuid4(),
    )


def test_repeats_attach_to_the_open_alert_and_sources_are_idempotent(make, ctx):
    patient = make.patient()
    clinician = db.session.get(User, make.clinician().id)
    source = uuid.uuid4()
    first = _raise(patient.id, source)
    assert _raise(patient.id, source).id == first.id
    again = _raise(patient.id, severity=Severity.URGENT)
    assert again.id == first.id
    assert (again.repeat_count, again.severity) == (1, Severity.URGENT)
    assert db.session.scalar(select(func.count()).select_from(AlertSource)) == 2
    services.acknowledge(alert=first, actor=clinician, note="Called, all fine.")
    assert _raise(patient.id).id != first.id  # a new episode after acknowledgement


def test_worsening_beyond_threshold_raises_unless_switched_off(make, ctx):
    patient = db.session.get(Patient, make.patient().id)
    clinician = db.session.get(User, make.clinician().id)
    phq9 = loader.registry()["phq9"]
    for level in (0, 1):  # total 0, then 8: five points or more worse
        _, occurrence = assign_once(patient, clinician, "phq9")
        instruments.submit_response(
            occurrence=occurrence,
            patient=patient,
            definition=phq9,
            values={**{str(i): level for i in range(1, 9)}, "9": 0},
            locale="en",
            submission_key=uuid.uuid4(),
        )
    alert = db.session.scalars(select(Alert)).one()
    assert alert.rule_code == "worsening:phq9"
    services.acknowledge(alert=alert, actor=clinician, note="Seen.")
    services.save_settings(
        patient=patient,
        actor=clinician,
        no_diary_days=5,
        symptom_rise_points=2,
        worsening_alerts=False,
    )
    _, occurrence = assign_once(patient, clinician, "phq9")
    instruments.submit_response(
        occurrence=occurrence,
        patient=patient,
        definition=phq9,
        values={**{str(i): 2 for i in range(1, 9)}, "9": 0},
        locale="en",
        submission_key=uuid.uuid4(),
    )
    assert db.session.scalar(select(func.count()).select_from(Alert)) == 1


def test_urgent_alerts_escalate_once_after_the_configured_delay(app, make, ctx):
    patient = make.patient()
    start = utcnow()
    with time_machine.travel(start, tick=False) as clock:
        urgent = _raise(patient.id, severity=Severity.URGENT, rule="critical_answer")
        _raise(patient.id, severity=Severity.NORMAL, rule="no_diary")
        clock.shift(app.config["ALERT_ESCALATION_AFTER"] - timedelta(minutes=1))
        assert escalate() == 0
        clock.shift(timedelta(minutes=2))
        assert services.escalate_due(delay=app.config["ALERT_ESCALATION_AFTER"]) == [urgent]
        assert escalate() == 0  # never twice
    assert urgent.escalated_at is not None


def test_acknowledged_alerts_never_escalate(app, make, ctx):
    patient = make.patient()
    clinician = db.session.get(User, make.clinician().id)
    alert = _raise(patient.id, severity=Severity.URGENT, rule="critical_answer")
    services.acknowledge(alert=alert, actor=clinician, note="Handled.")
    with time_machine.travel(utcnow() + timedelta(hours=5)):
        assert escalate() == 0


def test_diary_rules_job_raises_no_diary_and_symptom_rise_once(make, ctx):
    silent = db.session.get(Patient, make.patient().id)
    rising = db.session.get(Patient, make.patient().id)
    for patient in (silent, rising):
        patient.enrolled_at = utcnow() - timedelta(days=40)
    today = utcnow().date()
    db.session.add(
        DiaryEntry(
            patient_id=silent.id,
            local_date=today - timedelta(days=9),
            client_entry_id=uuid.uuid4(),
            mode=EntryMode.QUICK,
            created_by_id=silent.user_id,
            overall_symptoms=3,
        )
    )
    for offset in range(17):
        level = 7 if offset < 3 else 3
        db.session.add(
            DiaryEntry(
                patient_id=rising.id,
                local_date=today - timedelta(days=offset),
                client_entry_id=uuid.uuid4(),
                mode=EntryMode.QUICK,
                created_by_id=rising.user_id,
                overall_symptoms=level,
            )
        )
    db.session.add(
        AlertSettings(
            patient_id=rising.id, no_diary_days=5, symptom_rise_points=3, worsening_alerts=True
        )
    )
    db.session.flush()
    evaluate_diary_rules()
    evaluate_diary_rules()  # idempotent
    rules = {(a.patient_id, a.rule_code, a.repeat_count) for a in db.session.scalars(select(Alert))}
    assert rules == {(silent.id, "no_diary", 0), (rising.id, "symptom_rise", 0)}


def test_inbox_is_routed_to_the_lead_and_the_coordinator(app, make, client, auth):
    clinic = make.clinic()
    lead, member = make.clinician(clinic, name="Lead Person"), make.clinician(clinic)
    patient = make.patient(clinic, team=[lead, member], name="Alerted Patient")
    other_coordinator = make.coordinator(make.clinic())
    with app.test_request_context():
        alert = _raise(patient.id, severity=Severity.URGENT, rule="critical_answer")
        db.session.commit()
    for user, sees in (
        (lead, True),
        (member, False),
        (make.coordinator(clinic), True),
        (other_coordinator, False),
    ):
        viewer = app.test_client()
        Auth(viewer).login(user.email, PASSWORD)
        page = viewer.get("/alerts")
        assert page.status_code == 200
        assert ("Alerted Patient" in page.get_data(as_text=True)) == sees, user.email
    auth.login(patient.user.email, PASSWORD)
    assert client.get("/alerts").status_code == 403
    auth.logout()
    auth.login(lead.email, PASSWORD)
    response = auth.post(
        f"/patients/{patient.id}/alerts/{alert.id}/acknowledge",
        {"note": "Phoned.", "next": "/alerts"},
        token_from="/alerts",
    )
    assert response.headers["Location"] == "/alerts"
    assert "Alerted Patient" not in client.get("/alerts").get_data(as_text=True)


def test_threshold_settings_validate_and_write_nothing_on_error(app, make, client, auth):
    clinician = make.clinician()
    patient = make.patient(team=[clinician])
    auth.login(clinician.email, PASSWORD)
    url = f"/patients/{patient.id}/alert-settings"
    for data in (
        {"no_diary_days": "0", "symptom_rise_points": "2"},
        {"no_diary_days": "61", "symptom_rise_points": "2"},
        {"no_diary_days": "abc", "symptom_rise_points": "2"},
        {"no_diary_days": "5", "symptom_rise_points": "11"},
    ):
        response = auth.post(url, data, token_from=url)
        assert response.status_code == 200
        assert 'aria-invalid="true"' in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(AlertSettings, patient.id) is None
    assert (
        auth.post(
            url,
            {"no_diary_days": "7", "symptom_rise_points": "3", "worsening_alerts": "y"},
            token_from=url,
        ).status_code
        == 302
    )
    with app.app_context():
        saved = db.session.get(AlertSettings, patient.id)
        assert (saved.no_diary_days, saved.symptom_rise_points, saved.worsening_alerts) == (
            7,
            3,
            True,
        )


def test_navigation_badge_counts_exactly_the_inbox(make, ctx):
    from app.alerts.queries import inbox_for, open_count_for

    clinic = make.clinic()
    lead = make.clinician(clinic)
    patient = make.patient(clinic, team=[lead])
    _raise(patient.id, severity=Severity.URGENT, rule="critical_answer")
    _raise(patient.id, rule="no_diary")
    lead_user = db.session.get(User, lead.id)
    assert open_count_for(lead_user) == len(inbox_for(lead_user)) == 2
    assert open_count_for(db.session.get(User, patient.user_id)) == 0


def test_raising_an_alert_sends_alert_raised_once_per_new_source(make, ctx):
    patient = make.patient()
    heard = []

    def listener(alert, **kwargs):
        heard.append((alert.id, kwargs["rule_code"], kwargs["created"], kwargs["source_id"]))

    first_source, second_source = uuid.uuid4(), uuid.uuid4()
    with alert_raised.connected_to(listener):
        first = _raise(patient.id, first_source)
        _raise(patient.id, first_source)  # the same source again: idempotent, not raised again
        _raise(patient.id, second_source)
    _raise(patient.id, uuid.uuid4())  # disconnected: not heard
    assert heard == [
        (first.id, "no_diary", True, first_source),
        (first.id, "no_diary", False, second_source),
    ]
