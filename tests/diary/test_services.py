"""Diary writes: create, amend with history, idempotency, quick entries, the saved signal."""

from __future__ import annotations

import uuid
from datetime import date, time

import pytest
from sqlalchemy import func, select, text

from app.audit import AuditEvent
from app.auth.models import User
from app.careteam.models import Patient
from app.db import db
from app.diary import services
from app.diary.models import (
    ActivityKind,
    CaregiverObservation,
    DiaryEntry,
    DiaryRevision,
    EntryMode,
    RevisionKind,
    SymptomRating,
)
from app.diary.values import Activity, DiaryValues
from app.signals import entry_saved

DAY = date(2026, 11, 20)


@pytest.fixture
def patient(make, ctx) -> Patient:
    created = make.patient()
    return db.session.get(Patient, created.id)


def _save(patient: Patient, values: DiaryValues, submission_id=None, day: date = DAY):
    return services.record_entry(
        patient=patient,
        local_date=day,
        values=values,
        submission_id=submission_id or uuid.uuid4(),
        actor=db.session.get(User, patient.user_id),
    )


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


FULL = DiaryValues(
    mode=EntryMode.FULL,
    overall_symptoms=6,
    mood=3,
    bedtime=time(23, 30),
    wake_time=time(6, 0),
    sleep_quality=2,
    symptoms={"pain": 7, "fatigue": 5},
    body_sites={"pain": "neck"},
    triggers=("work_stress",),
    custom_triggers=("deadline",),
    activities={ActivityKind.PHYSICAL: Activity(30, 60, 8)},
    notes="Long day.",
)


def test_create_stores_answers_and_leaves_the_rest_null(patient):
    result = _save(patient, FULL)
    entry = result.entry
    assert result.created
    assert entry.stress is None and entry.energy is None and entry.rest_breaks is None
    assert entry.sleep_minutes == 390
    assert entry.symptom_scores() == {"pain": 7, "fatigue": 5}
    assert entry.activities[0].planned_minutes == 30 and entry.activities[0].done_minutes == 60
    revision = db.session.scalars(select(DiaryRevision)).one()
    assert revision.kind == RevisionKind.CREATED
    assert revision.actor_role == "patient"
    assert revision.changes["mood"] == [None, 3]
    audit = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "diary.entry_create"))
    event = audit.one()
    assert event.object_id == str(entry.id)
    assert "Long day" not in (event.object_id or "")


def test_amendment_keeps_who_when_and_what_changed(patient):
    first = _save(patient, FULL).entry
    changed = DiaryValues(**{**FULL.__dict__, "mood": 6, "symptoms": {"pain": 4}})
    second = _save(patient, changed)
    assert second.entry.id == first.id and not second.created
    assert second.entry.mood == 6
    assert second.entry.symptom_scores() == {"pain": 4}
    revisions = db.session.scalars(select(DiaryRevision).order_by(DiaryRevision.at)).all()
    assert [r.kind for r in revisions] == [RevisionKind.CREATED, RevisionKind.AMENDED]
    assert revisions[1].changes["mood"] == [3, 6]
    assert revisions[1].changes["symptoms"] == [{"pain": 7, "fatigue": 5}, {"pain": 4}]
    assert _count(SymptomRating) == 1


def test_amending_several_ratings_and_a_block_updates_each_row_in_place(patient):
    first = _save(patient, FULL).entry
    ids = {r.symptom_key: r.id for r in first.symptoms}
    changed = DiaryValues(
        **{
            **FULL.__dict__,
            "symptoms": {"pain": 2, "fatigue": 9},
            "body_sites": {"fatigue": "legs"},
            "activities": {ActivityKind.PHYSICAL: Activity(45, 20, 3)},
        }
    )
    entry = _save(patient, changed).entry
    db.session.expire_all()
    rows = {r.symptom_key: r for r in db.session.scalars(select(SymptomRating)).all()}
    assert {key: row.id for key, row in rows.items()} == ids  # the same rows, updated
    assert {key: (row.score, row.body_site) for key, row in rows.items()} == {
        "pain": (2, None),
        "fatigue": (9, "legs"),
    }
    block = db.session.get(DiaryEntry, entry.id).activities[0]
    assert (block.planned_minutes, block.done_minutes, block.exertion) == (45, 20, 3)


def test_same_submission_twice_returns_the_same_entry(patient):
    submission = uuid.uuid4()
    first = _save(patient, FULL, submission)
    again = _save(patient, FULL, submission)
    assert again.replayed and again.entry.id == first.entry.id
    assert _count(DiaryRevision) == 1


def test_same_submission_with_other_answers_is_refused_and_writes_nothing(patient):
    submission = uuid.uuid4()
    _save(patient, FULL, submission)
    db.session.commit()
    before = (_count(DiaryRevision), _count(AuditEvent))
    with pytest.raises(services.SubmissionConflict):
        _save(patient, DiaryValues(**{**FULL.__dict__, "mood": 9}), submission)
    assert (_count(DiaryRevision), _count(AuditEvent)) == before
    assert db.session.scalars(select(DiaryEntry)).one().mood == 3


def test_quick_entry_on_a_full_day_only_changes_its_three_answers(patient):
    _save(patient, FULL)
    quick = DiaryValues(mode=EntryMode.QUICK, overall_symptoms=9, mood=1, sleep_quality=None)
    entry = _save(patient, quick).entry
    assert (entry.overall_symptoms, entry.mood, entry.sleep_quality) == (9, 1, None)
    assert entry.notes == "Long day." and entry.symptom_scores()["pain"] == 7
    assert entry.mode == EntryMode.FULL


def test_quick_entry_alone_leaves_everything_else_empty(patient):
    quick = DiaryValues(mode=EntryMode.QUICK, overall_symptoms=8, mood=2, sleep_quality=1)
    entry = _save(patient, quick).entry
    assert entry.mode == EntryMode.QUICK
    assert entry.stress is None and entry.sleep_minutes is None and entry.symptoms == []


def test_saving_sends_the_entry_saved_signal(patient, app):
    received = []

    def listener(sender, **kwargs):
        received.append(kwargs)

    with entry_saved.connected_to(listener, app):
        entry = _save(patient, FULL).entry
    assert received == [
        {"patient_id": patient.id, "local_date": DAY, "entry_id": entry.id, "created": True}
    ]


def test_caregiver_observation_is_idempotent_and_separate(patient, make):
    caregiver, _ = make.caregiver(patient)
    observer = db.session.get(User, caregiver.id)
    client_id = uuid.uuid4()
    observation = services.Observation(symptom_level=7, note="Tired after work")
    first = services.record_observation(
        patient=patient,
        local_date=DAY,
        observation=observation,
        client_id=client_id,
        observer=observer,
    )
    again = services.record_observation(
        patient=patient,
        local_date=DAY,
        observation=observation,
        client_id=client_id,
        observer=observer,
    )
    assert first.id == again.id and first.observer_role == "caregiver"
    with pytest.raises(services.SubmissionConflict):
        services.record_observation(
            patient=patient,
            local_date=DAY,
            observation=services.Observation(symptom_level=2),
            client_id=client_id,
            observer=observer,
        )
    assert _count(CaregiverObservation) == 1
    assert _count(DiaryEntry) == 0


def test_tracked_symptoms_with_own_labels(patient):
    from app.diary import queries

    assert [d.key for d in queries.tracked_symptoms(patient)][:2] == ["pain", "fatigue"]
    services.set_tracked_symptoms(patient=patient, codes=["nausea"], custom_labels=["Jaw clicking"])
    tracked = queries.tracked_symptoms(patient)
    assert tracked[0].key == "nausea"
    assert tracked[1].is_custom and tracked[1].label == "Jaw clicking"
    key = tracked[1].key
    services.set_tracked_symptoms(patient=patient, codes=[], custom_labels=["Jaw clicking"])
    assert [d.key for d in queries.tracked_symptoms(patient)] == [key]
    with pytest.raises(ValueError, match="unknown"):
        services.set_tracked_symptoms(patient=patient, codes=["nope"], custom_labels=[])


def _stored(sql: str) -> str:
    return " ".join(str(value) for value in db.session.scalars(text(sql)))


def test_free_text_is_encrypted_at_rest_and_read_back(patient, make):
    at_limit = ("تعب بعد العمل. " * 150)[:2000]  # at the limit; its ciphertext is far longer
    entry = _save(patient, DiaryValues(**{**FULL.__dict__, "notes": at_limit})).entry
    _save(patient, DiaryValues(**{**FULL.__dict__, "notes": "Better after a rest."}))
    caregiver, _ = make.caregiver(patient)
    services.record_observation(
        patient=patient,
        local_date=DAY,
        observation=services.Observation(note="Seemed exhausted by noon"),
        client_id=uuid.uuid4(),
        observer=db.session.get(User, caregiver.id),
    )
    db.session.commit()
    stored = " ".join(
        _stored(sql)
        for sql in (
            "SELECT notes FROM diary_entries",
            "SELECT note FROM diary_observations",
            "SELECT changes FROM diary_revisions",
        )
    )
    for written in ("تعب", "Better after", "Seemed exhausted", "deadline", "overall_symptoms"):
        assert written not in stored
    db.session.expire_all()
    assert db.session.get(DiaryEntry, entry.id).notes == "Better after a rest."
    assert db.session.scalars(select(CaregiverObservation.note)).one() == "Seemed exhausted by noon"
    amended = db.session.scalars(
        select(DiaryRevision).where(DiaryRevision.kind == RevisionKind.AMENDED)
    ).one()
    assert amended.changes == {"notes": [at_limit, "Better after a rest."]}
