"""The registry's pure judgements and the agenda rules it connects (issue 16)."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta

import time_machine
from sqlalchemy import select, update

from app.alerts.models import Alert, Severity
from app.careteam.models import Patient
from app.db import db
from app.followups.models import AppointmentStatus
from app.instruments.models import Response
from app.registry import rules
from app.web.teamcare import agenda_reasons
from tests.trends.conftest import add_visit, insert_answered, many_patients

NOW = datetime(2026, 11, 20, 15, 0, tzinfo=UTC)
TODAY = NOW.date()
A, B = uuid.uuid4(), uuid.uuid4()


def test_weeks_response_remission():
    assert rules.weeks_in_treatment(date(2026, 1, 1), date(2026, 1, 7)) == 0
    assert rules.weeks_in_treatment(date(2026, 1, 1), date(2026, 1, 8)) == 1
    assert rules.weeks_in_treatment(date(2026, 1, 9), date(2026, 1, 8)) == 0
    assert rules.responded(18, 9, follow_up=True) is True
    assert rules.responded(18, 10, follow_up=True) is False
    assert rules.responded(18, 9, follow_up=False) is None  # one score: nothing to compare
    assert rules.responded(None, 9, follow_up=True) is None
    assert rules.remitted(4, follow_up=True) is True
    assert rules.remitted(5, follow_up=True) is False
    assert rules.remitted(None, follow_up=True) is None


def test_treat_to_target_and_review_window():
    enrolled = date(2026, 1, 1)
    today = enrolled + timedelta(weeks=10)
    week8 = enrolled + timedelta(weeks=7)  # the first day of week 8
    assert rules.reviewed_since_week((today - week8).days, enrolled_on=enrolled, today=today)
    assert not rules.reviewed_since_week(
        (today - week8).days + 1, enrolled_on=enrolled, today=today
    )
    assert not rules.reviewed_since_week(None, enrolled_on=enrolled, today=today)
    flag = rules.treat_to_target
    assert flag(weeks=10, response=False, remission=False, reviewed=False)
    assert flag(weeks=10, response=None, remission=None, reviewed=False)  # never measured
    assert not flag(weeks=9, response=False, remission=False, reviewed=False)
    assert not flag(weeks=10, response=True, remission=False, reviewed=False)
    assert not flag(weeks=10, response=False, remission=True, reviewed=False)
    assert not flag(weeks=12, response=False, remission=False, reviewed=True)


def test_no_contact_counts_from_enrollment_without_a_visit():
    enrolled = NOW - timedelta(days=60)
    assert rules.no_contact(None, enrolled_at=enrolled, now=NOW)
    assert not rules.no_contact(None, enrolled_at=NOW - timedelta(days=28), now=NOW)
    assert rules.no_contact(NOW - timedelta(days=29), enrolled_at=enrolled, now=NOW)
    assert not rules.no_contact(NOW - timedelta(days=27), enrolled_at=enrolled, now=NOW)


def test_alert_codes_one_per_patient_and_code():
    raised = [
        rules.RaisedAlert(A, "critical_answer", True),
        rules.RaisedAlert(A, "critical_answer", True),
        rules.RaisedAlert(A, "message_to_read", True),
        rules.RaisedAlert(B, "no_diary", False),
    ]
    assert rules.alert_codes(raised) == [(A, "critical_alert"), (A, "urgent_alert")]
    window = {"since": NOW - timedelta(days=7), "until": NOW}
    enrolled = {A: NOW - timedelta(days=3), B: NOW - timedelta(days=8)}
    assert rules.enrolled_between(enrolled, **window) == [A]
    assert rules.flagged({A: None, B: True}) == [B]


def _reads(statements: list[str]) -> int:
    """Statements other than the test harness's savepoints."""
    return sum(1 for s in statements if "SAVEPOINT" not in s)


def _alert(app, patient, rule, severity, at) -> None:
    with app.app_context():
        db.session.add(
            Alert(
                patient_id=patient.id,
                rule_code=rule,
                severity=severity,
                source_type="test",
                source_id=uuid.uuid4(),
                created_at=at,
            )
        )
        db.session.commit()


@time_machine.travel(NOW, tick=False)
def test_agenda_reasons_for_each_rule(app, make, count_queries):
    clinic = make.clinic()
    clinician = make.clinician(clinic)
    old = NOW - timedelta(weeks=11)
    critical = make.patient(clinic, team=[clinician], name="Crit", enrolled_at=old)
    _alert(app, critical, "critical_answer", Severity.URGENT, NOW - timedelta(days=2))
    insert_answered(app, critical, clinician, "phq9", [(TODAY - timedelta(days=2), 20, None)], 27)
    with app.app_context():
        db.session.execute(
            update(Response).where(Response.patient_id == critical.id).values(critical=True)
        )
        db.session.commit()
    urgent = make.patient(clinic, team=[clinician], name="Urg", enrolled_at=old)
    _alert(app, urgent, "message_to_read", Severity.URGENT, NOW - timedelta(days=1))
    stale = make.patient(clinic, team=[clinician], name="Stale", enrolled_at=old)
    _alert(app, stale, "message_to_read", Severity.URGENT, NOW - timedelta(days=30))
    add_visit(app, stale, clinician, NOW - timedelta(days=2), AppointmentStatus.DONE)
    flat = make.patient(clinic, team=[clinician], name="Flat", enrolled_at=old)
    insert_answered(
        app,
        flat,
        clinician,
        "phq9",
        [(TODAY - timedelta(weeks=10), 16, None), (TODAY - timedelta(days=3), 15, None)],
        27,
    )
    add_visit(app, flat, clinician, NOW - timedelta(days=5), AppointmentStatus.DONE)
    new = make.patient(clinic, team=[clinician], name="New", enrolled_at=NOW - timedelta(days=2))
    ids = frozenset(p.id for p in (critical, urgent, stale, flat, new))
    with app.test_request_context(), count_queries() as statements:
        found = agenda_reasons(
            None, clinic_id=clinic.id, patient_ids=ids, since=NOW - timedelta(days=7), until=NOW
        )
        small = _reads(statements)
    got = {(r.patient_id, r.code) for r in found}
    assert (critical.id, "critical_alert") in got and (critical.id, "phq9_item9") in got
    assert (critical.id, "urgent_alert") not in got
    assert (urgent.id, "urgent_alert") in got
    assert not {code for pid, code in got if pid == stale.id}  # old alert, recent contact
    assert (flat.id, "not_improving") in got and (flat.id, "no_contact") not in got
    assert (new.id, "new_patient") in got and (new.id, "no_contact") not in got
    assert (urgent.id, "no_contact") in got  # no visit in 11 weeks
    assert all(str(r.label) for r in found)

    many_patients(app, clinic_id=clinic.id, clinician_id=clinician.id, count=12, now=NOW)
    with app.test_request_context():
        everyone = frozenset(
            db.session.scalars(select(Patient.id).where(Patient.clinic_id == clinic.id))
        )
        assert len(everyone) == 17
        with count_queries() as statements:
            agenda_reasons(
                None,
                clinic_id=clinic.id,
                patient_ids=everyone,
                since=NOW - timedelta(days=7),
                until=NOW,
            )
            assert _reads(statements) == small
