"""Care-plan goals read real diary and questionnaire data through the registered providers."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest

from app.auth.models import Discipline, User
from app.careplan.content import Goal, Measure
from app.careplan.progress import Status
from app.careplan.queries import goal_progress, patient_today
from app.careteam.models import Patient
from app.db import db, utcnow
from app.diary.models import ActivityBlock, ActivityKind, DiaryEntry, EntryMode, SymptomRating
from app.instruments import loader, services
from tests.instruments.helpers import assign_once


@pytest.fixture
def patient(app, make, ctx):
    return db.session.get(Patient, make.patient(timezone="Europe/Berlin").id)


def _entry(patient: Patient, day, **values) -> DiaryEntry:
    entry = DiaryEntry(
        patient_id=patient.id,
        local_date=day,
        client_entry_id=uuid.uuid4(),
        mode=EntryMode.FULL,
        created_by_id=patient.user_id,
        **values,
    )
    db.session.add(entry)
    db.session.flush()
    return entry


def _goal(kind: str, subject: str | None, amount: float | None, target: float) -> Goal:
    return Goal(
        id="g",
        what="goal",
        owner=Discipline.PSYCHOLOGY,
        measure=Measure(kind, subject, amount=amount, target=target),
    )


def test_sleep_goal_counts_nights_from_the_diary(patient):
    today = utcnow().date()
    for offset in range(7):  # 5 nights of 7.5 h, 2 nights of 5 h
        _entry(patient, today - timedelta(days=offset), sleep_minutes=450 if offset < 5 else 300)
    progress = goal_progress(patient, _goal("sleep_hours_nights_per_week", None, 7, 5), today)
    assert progress.status == Status.MET
    assert progress.qualifying_days == 5


def test_activity_goal_counts_the_chosen_kind_and_leaves_unrecorded_days_missing(patient):
    today = utcnow().date()
    for offset in range(7):
        entry = _entry(patient, today - timedelta(days=offset))
        if offset == 6:
            continue  # a diary day without any activity recorded: missing, not zero
        minutes = 25 if offset < 4 else 10  # four days reach 20 minutes, two do not
        db.session.add(
            ActivityBlock(entry_id=entry.id, kind=ActivityKind.PHYSICAL, done_minutes=minutes)
        )
        db.session.add(ActivityBlock(entry_id=entry.id, kind=ActivityKind.REST, done_minutes=60))
    db.session.flush()
    progress = goal_progress(
        patient, _goal("activity_minutes_days_per_week", "physical", 20, 5), today
    )
    assert progress.recorded_days == 6
    assert progress.qualifying_days == 4
    assert progress.status != Status.MET


def test_symptom_goal_needs_most_days_at_or_below_target(patient):
    today = utcnow().date()
    for offset in range(14):
        entry = _entry(patient, today - timedelta(days=offset))
        score = 7 if offset % 2 else 3
        db.session.add(SymptomRating(entry_id=entry.id, symptom_key="pain", score=score))
    db.session.flush()
    progress = goal_progress(patient, _goal("symptom_at_most_most_days", "pain", None, 4), today)
    assert progress.recorded_days == 14
    assert progress.qualifying_days == 7  # only half the days are at most 4: not "most days"
    assert progress.status != Status.MET


def test_questionnaire_goal_reads_complete_totals(make, patient):
    clinician = db.session.get(User, make.clinician().id)
    for answers in ({str(i): 2 for i in range(1, 10)}, {str(i): 1 for i in range(1, 10)}):
        _, occurrence = assign_once(patient, clinician, "phq9")
        services.submit_response(
            occurrence=occurrence,
            patient=patient,
            definition=loader.registry()["phq9"],
            values={**answers, "9": 0},
            locale="en",
            submission_key=uuid.uuid4(),
        )
    # Submissions are dated on the patient's (Berlin) calendar, ahead of UTC late in the evening.
    progress = goal_progress(
        patient, _goal("instrument_total_below", "phq9", None, 10), patient_today(patient)
    )
    assert progress.latest == 8  # eight items at 1, item 9 at 0
    assert progress.status == Status.MET
