"""Trend views: flags on the upcoming list, only authorized patients, CSV safety, bad input."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import time_machine
from sqlalchemy import func, select

from app.alerts.models import Alert, Severity
from app.audit import AuditEvent, Outcome
from app.auth.models import Discipline, User
from app.careteam import services as careteam
from app.careteam.models import Patient
from app.db import db
from app.diary.models import DiaryEntry, EntryMode
from app.followups.models import AppointmentStatus
from app.trends import prompt_metrics
from tests.factories import PASSWORD
from tests.trends.conftest import add_visit, bulk_history, bulk_questionnaires

NOW = datetime(2026, 11, 20, 15, 0, tzinfo=UTC)


def _alert(app, patient) -> None:
    with app.app_context():
        db.session.add(
            Alert(
                patient_id=patient.id,
                rule_code="no_diary",
                severity=Severity.NORMAL,
                source_type="test",
                source_id=uuid.uuid4(),
                repeat_count=0,
            )
        )
        db.session.commit()


@time_machine.travel(NOW, tick=False)
def test_upcoming_list_shows_flags_and_only_team_patients(app, make, client, auth):
    clinic = make.clinic()
    clinician = make.clinician(clinic, discipline=Discipline.PRIMARY_CARE)
    joined = NOW - timedelta(days=60)  # adherence counts only days since enrollment
    flagged = make.patient(clinic, team=[clinician], name="Flagged Person", enrolled_at=joined)
    calm = make.patient(clinic, team=[clinician], name="Calm Person", enrolled_at=joined)
    left = make.patient(clinic, team=[clinician], name="Former Patient")
    bulk_history(app, calm, days=30, end=NOW.date())
    _alert(app, flagged)
    add_visit(app, flagged, clinician, NOW + timedelta(days=2))
    add_visit(app, calm, clinician, NOW + timedelta(hours=1))
    add_visit(app, left, clinician, NOW + timedelta(hours=3))
    add_visit(app, flagged, clinician, NOW + timedelta(days=9))  # beyond 7 days
    with app.test_request_context():
        careteam.remove_from_team(
            patient=db.session.get(Patient, left.id), member=db.session.get(User, clinician.id)
        )
        db.session.commit()
    auth.login(clinician.email, PASSWORD)
    html = client.get("/").get_data(as_text=True)
    assert "Former Patient" not in html.split('id="team-patients"')[0]
    upcoming = html.split('id="upcoming-heading"')[1].split('id="team-patients"')[0]
    assert upcoming.index("Calm Person") < upcoming.index("Flagged Person")  # today first
    assert upcoming.count("upcoming-row") == 2
    assert "flag-1" in upcoming  # open alert
    assert "flag-4" in upcoming  # adherence: no entries


@time_machine.travel(NOW, tick=False)
def test_summary_renders_scores_flags_and_is_audited(app, make, client, auth):
    clinician = make.clinician()
    patient = make.patient(team=[clinician])
    bulk_history(app, patient, days=120, end=NOW.date())
    bulk_questionnaires(app, patient, clinician, weeks=12, end=NOW.date())
    add_visit(app, patient, clinician, NOW - timedelta(days=20), AppointmentStatus.DONE)
    add_visit(app, patient, clinician, NOW + timedelta(days=3))
    auth.login(clinician.email, PASSWORD)
    response = client.get(f"/patients/{patient.id}/summary")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    # The next follow-up's modality label comes from the summary view, not a borrowed global.
    assert " · In person</dd>" in html
    assert "PHQ-9" in html and "GAD-7" in html
    assert html.count('role="img"') >= 10 and "<desc" in html
    assert 'class="adherence"' in html
    assert 'transform="translate(340 0) scale(-1 1)"' not in html
    with app.app_context():
        actions = set(
            db.session.scalars(select(AuditEvent.action).where(AuditEvent.patient_id == patient.id))
        )
    assert "patient.view_summary" in actions


@time_machine.travel(NOW, tick=False)
def test_bad_period_is_a_clear_400_and_an_audited_refusal(app, make, client, auth):
    clinician = make.clinician()
    patient = make.patient(team=[clinician])
    auth.login(clinician.email, PASSWORD)
    with app.app_context():
        before = db.session.scalar(select(func.count()).select_from(AuditEvent))
    bad_periods = ("7", "abc", "-30", "since_last'--")
    for bad in bad_periods:
        response = client.get(f"/patients/{patient.id}/summary?period={bad}")
        assert response.status_code == 400
        assert "Unknown period" in response.get_data(as_text=True)
    with app.app_context():
        events = db.session.scalars(
            select(AuditEvent).where(AuditEvent.actor_id == clinician.id).order_by(AuditEvent.id)
        ).all()
        assert db.session.scalar(select(func.count()).select_from(AuditEvent)) == before + 4
    assert len(events) == len(bad_periods)  # one refusal each, nothing else written
    for event in events:
        assert (event.action, event.outcome) == ("request.refused", Outcome.DENIED)
        assert (event.patient_id, event.object_type) == (patient.id, "http_400")
        assert event.object_id == "trends.summary_view"


@time_machine.travel(NOW, tick=False)
def test_csv_export_is_an_audited_attachment(app, make, client, auth):
    clinician = make.clinician()
    patient = make.patient(team=[clinician])
    with app.app_context():
        db.session.add(
            DiaryEntry(
                patient_id=patient.id,
                local_date=NOW.date() - timedelta(days=1),
                client_entry_id=uuid.uuid4(),
                mode=EntryMode.FULL,
                mood=4,
                notes="=cmd|' /C calc'!A0",
                created_by_id=patient.user_id,
            )
        )
        db.session.commit()
    auth.login(clinician.email, PASSWORD)
    response = client.get(f"/patients/{patient.id}/summary.csv?period=30")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"].startswith("attachment;")
    body = response.get_data(as_text=True)
    assert "'=cmd" in body and ",=cmd" not in body
    with app.app_context():
        assert (
            db.session.scalar(
                select(AuditEvent).where(AuditEvent.action == "trends.summary_export")
            )
            is not None
        )


@time_machine.travel(NOW, tick=False)
def test_registry_and_metrics_are_for_the_coordinator_of_the_clinic_only(app, make, client, auth):
    clinic, other = make.clinic(), make.clinic()
    coordinator = make.coordinator(clinic)
    mine = make.patient(clinic, name="Our Patient")
    make.patient(other, name="Their Patient")
    _alert(app, mine)
    auth.login(coordinator.email, PASSWORD)
    # The caseload became the registry (issue 16): the old address redirects to it.
    assert client.get("/caseload").headers["Location"].endswith("/registry")
    html = client.get("/registry").get_data(as_text=True)
    assert "Our Patient" in html and "Their Patient" not in html
    metrics = client.get("/metrics?start=2026-09-01&end=2026-11-20")
    text = metrics.get_data(as_text=True)
    assert metrics.status_code == 200
    assert "Text-message response rate" in text
    for bad in ("start=2026-11-20&end=2026-09-01", "start=nope", "end=2030-01-01"):
        assert client.get(f"/metrics?{bad}").status_code == 400
    auth.logout()
    clinician = make.clinician(clinic)
    auth.login(clinician.email, PASSWORD)
    # A clinician sees the registry of their care teams only (not on this patient's team).
    assert "Our Patient" not in client.get("/registry").get_data(as_text=True)
    assert client.get("/metrics").status_code == 404


@time_machine.travel(NOW, tick=False)
def test_sms_rate_shows_the_prompt_counts(app, make, client, auth, monkeypatch):
    clinic = make.clinic()
    coordinator = make.coordinator(clinic)
    monkeypatch.setattr(
        prompt_metrics,
        "prompt_counts",
        lambda clinic_id, start, end: prompt_metrics.PromptCounts(sent=20, answered=15),
    )
    auth.login(coordinator.email, PASSWORD)
    text = client.get("/metrics").get_data(as_text=True)
    assert "75 %" in text
    assert "Not available yet" not in text
