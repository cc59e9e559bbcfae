"""Referrals through the team-care seams: the registry column, the agenda rule, the suggested
services for a social need, the overdue alert, the metrics, the prompt, export and erasure."""

from __future__ import annotations

from datetime import timedelta

from flask import current_app
from sqlalchemy import select

from app.alerts.models import Alert
from app.alerts.rules import REFERRAL_OVERDUE, rule_label
from app.careteam.models import Patient
from app.datarights.registry import Section
from app.db import db, utcnow
from app.referrals import queries, services
from app.referrals.hooks import CheckbackPrompts
from app.referrals.machine import Party
from app.referrals.models import PatientAnswer, Referral, Status, TargetKind, Urgency
from app.signals import erasure_requested, export_requested
from app.web.teamcare import agenda_reasons, extra_columns, suggested_services
from tests.referrals.helpers import world


def _send(w, *, urgency=Urgency.URGENT, days_ago=0, service=True):
    patient = db.session.get(Patient, w.patient.id)
    referral = services.create(
        patient=patient,
        requester=db.session.get(type(w.worker), w.worker.id),
        target_kind=TargetKind.SERVICE if service else TargetKind.DISCIPLINE,
        service=db.session.get(type(w.food_bank), w.food_bank.id) if service else None,
        discipline=None if service else w.psychiatrist.discipline,
        reason="Food parcel please",
        question="Eligible?",
        urgency=urgency,
        shared=["reason"],
        consent=True,
    )
    referral.requested_at = utcnow() - timedelta(days=days_ago)
    db.session.flush()
    return referral


def test_registry_column_and_agenda_flag_overdue(app, make):
    w = world(app, make)
    other = make.patient(w.clinic, team=[w.worker])
    with app.test_request_context():
        _send(w, days_ago=3)  # urgent: 2 days
        _send(w, urgency=Urgency.ROUTINE, days_ago=1)
        ids = frozenset({w.patient.id, other.id})
        columns = extra_columns(current_app, clinic_id=w.clinic.id, patient_ids=ids, today=None)
        column = next(c for c in columns if c.key == "open_referrals")
        assert column.values == {w.patient.id: 2}
        assert column.flagged == {w.patient.id}
        reasons = agenda_reasons(
            current_app,
            clinic_id=w.clinic.id,
            patient_ids=ids,
            since=utcnow() - timedelta(days=28),
            until=utcnow(),
        )
        assert [(r.patient_id, r.code) for r in reasons if r.code == "overdue_referral"] == [
            (w.patient.id, "overdue_referral")
        ]


def test_overdue_raises_one_alert(app, make):
    w = world(app, make)
    with app.test_request_context():
        _send(w, days_ago=3)
        _send(w, urgency=Urgency.ROUTINE, days_ago=3)  # not overdue yet
        assert services.raise_overdue() == 1
        assert services.raise_overdue() == 0
        alert = db.session.scalars(select(Alert).where(Alert.patient_id == w.patient.id)).one()
        assert alert.rule_code == REFERRAL_OVERDUE
        assert rule_label(REFERRAL_OVERDUE) == "A referral got no answer in time"


def test_suggested_services_prefill_the_form_and_send_nothing(app, make, client, auth):
    w = world(app, make)
    with app.test_request_context():
        patient = db.session.get(Patient, w.patient.id)
        found = suggested_services(current_app, patient=patient, need="food")
        assert [s.name for s in found] == ["Riverside Community Food Bank"]
        assert f"service={w.food_bank.id}" in found[0].url and "need=food" in found[0].url
        assert suggested_services(current_app, patient=patient, need="housing") == []
    auth.login(w.worker.email, "correct horse battery")
    html = client.get(found[0].url).get_data(as_text=True)
    assert (
        f'value="{w.food_bank.id}" selected' in html or f'selected value="{w.food_bank.id}"' in html
    )
    with app.app_context():
        assert db.session.scalars(select(Referral)).all() == []


def test_measures_and_the_checkback_prompt(app, make):
    w = world(app, make)
    with app.test_request_context():
        referral = _send(w, days_ago=10)
        services.change_status(
            referral=referral,
            new=Status.ACCEPTED,
            party=Party.RECEIVER,
            actor=None,
            now=referral.requested_at + timedelta(days=2),
        )
        services.change_status(
            referral=referral, new=Status.COMPLETED, party=Party.RECEIVER, actor=None, note="Done"
        )
        _send(w, days_ago=1)
        now = utcnow()
        prompts = list(CheckbackPrompts().due_prompts(now))
        assert [p.target for p in prompts] == [str(referral.id)]
        services.record_answer(referral=referral, answer=PatientAnswer.GOT_HELP)
        measures = queries.measures(w.clinic.id, start=now - timedelta(days=30), end=now)
        assert measures.sent == 2
        assert measures.median_days_to_response == 2.0
        assert measures.closed_with_outcome == 1 and measures.confirmed_by_patient == 1
        assert measures.share(1) == 50


def test_export_has_service_request_and_task_and_erasure_pseudonymizes(app, make):
    w = world(app, make)
    with app.test_request_context():
        referral = _send(w)
        services.change_status(
            referral=referral,
            new=Status.REJECTED,
            party=Party.RECEIVER,
            actor=None,
            note="Out of our area",
        )
        patient = db.session.get(Patient, w.patient.id)
        sections: list[Section] = [
            s for _, found in export_requested.send(patient) for s in found or ()
        ]
        resources = [r for s in sections if s.name == "referrals" for r in s.fhir_resources]
        assert {r["resourceType"] for r in resources} == {"ServiceRequest", "Task"}
        task = next(r for r in resources if r["resourceType"] == "Task")
        assert task["status"] == "rejected" and task["statusReason"]["text"] == "Out of our area"
        erasure_requested.send(patient)
        db.session.expire_all()
        erased = db.session.get(Referral, referral.id)
        assert erased.reason == "[erased]" and erased.status_reason == "[erased]"
        assert erased.status == Status.REJECTED
