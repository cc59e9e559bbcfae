"""The aggregate reads behind the upcoming list and the caseload, on SQLite and PostgreSQL:
a day's level as the diary defines it, missing days left out (never zeros), the baseline, latest
and previous totals with ties broken the same way, and patients without any data."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, time, timedelta

import time_machine
from sqlalchemy import insert

from app.careteam.models import Patient
from app.db import db
from app.diary.models import DiaryEntry, EntryMode, SymptomRating
from app.instruments.models import Assignment, Occurrence, Response, ScheduleKind
from app.trends import analytics, caseload
from app.trends import caseload_queries as q

NOW = datetime(2026, 11, 20, 15, 0, tzinfo=UTC)
TODAY = NOW.date()


def _entry(app, patient: Patient, day: date, overall: int | None, **ratings: int) -> None:
    entry_id = uuid.uuid4()
    with app.app_context():
        db.session.execute(
            insert(DiaryEntry),
            [
                {
                    "id": entry_id,
                    "patient_id": patient.id,
                    "local_date": day,
                    "client_entry_id": uuid.uuid4(),
                    "mode": EntryMode.FULL,
                    "overall_symptoms": overall,
                    "triggers": [],
                    "custom_triggers": [],
                    "created_by_id": patient.user_id,
                    "created_at": NOW,
                    "updated_at": NOW,
                }
            ],
        )
        if ratings:
            db.session.execute(
                insert(SymptomRating),
                [
                    {"id": uuid.uuid4(), "entry_id": entry_id, "symptom_key": key, "score": score}
                    for key, score in ratings.items()
                ],
            )
        db.session.commit()


def _responses(app, patient: Patient, clinician, rows: list[tuple]) -> None:
    """rows: (response id, instrument, submitted_at or None, total or None)."""
    assignments: dict[str, uuid.UUID] = {}
    with app.app_context():
        for n, (response_id, instrument, submitted, total) in enumerate(rows):
            if instrument not in assignments:
                assignments[instrument] = uuid.uuid4()
                db.session.execute(
                    insert(Assignment),
                    [
                        {
                            "id": assignments[instrument],
                            "patient_id": patient.id,
                            "instrument_id": instrument,
                            "assigned_by_id": clinician.id,
                            "schedule_kind": ScheduleKind.EVERY_N_DAYS,
                            "start_date": TODAY - timedelta(days=400),
                            "schedule_from": TODAY - timedelta(days=400),
                            "interval_days": 1,
                            "weekdays": "",
                            "window_days": 1,
                            "status": "active",
                            "created_at": NOW,
                            "updated_at": NOW,
                        }
                    ],
                )
            occurrence_id = uuid.uuid4()
            opens = datetime.combine(TODAY - timedelta(days=300 - n), time(0), tzinfo=UTC)
            db.session.execute(
                insert(Occurrence),
                [
                    {
                        "id": occurrence_id,
                        "assignment_id": assignments[instrument],
                        "patient_id": patient.id,
                        "instrument_id": instrument,
                        "due_date": opens.date(),
                        "opens_at": opens,
                        "closes_at": opens + timedelta(days=1),
                    }
                ],
            )
            db.session.execute(
                insert(Response),
                [
                    {
                        "id": response_id,
                        "occurrence_id": occurrence_id,
                        "patient_id": patient.id,
                        "instrument_id": instrument,
                        "instrument_version": "1",
                        "locale": "en",
                        "preferred_locale": "en",
                        "answers": {},
                        "started_at": opens,
                        "updated_at": opens,
                        "submitted_at": submitted,
                        "submission_key": uuid.uuid4() if submitted else None,
                        "total": total,
                        "max_total": 27,
                        "band": None,
                        "subscales": {},
                        "critical": False,
                    }
                ],
            )
        db.session.commit()


def test_day_levels_one_row_per_recorded_day_and_missing_days_left_out(app, make):
    patient, other, silent = make.patient(), make.patient(), make.patient()
    _entry(app, patient, TODAY, 3, pain=8)  # the overall rating wins over the symptoms
    _entry(app, patient, TODAY - timedelta(days=1), None, pain=4, fatigue=7)  # worst symptom
    _entry(app, patient, TODAY - timedelta(days=2), None)  # recorded, but no level
    _entry(app, patient, TODAY - timedelta(days=3), 0)  # a real zero
    # TODAY - 4 is missing
    _entry(app, patient, TODAY - timedelta(days=5), None, pain=0)
    _entry(app, patient, TODAY - timedelta(days=9), 9)  # before `since`
    _entry(app, other, TODAY - timedelta(days=1), 6, pain=10)
    with app.app_context():
        rows = q.day_levels([patient.id.hex, silent.id.hex], since=TODAY - timedelta(days=8))
    assert rows == {
        patient.id.hex: {
            TODAY - timedelta(days=5): 0,
            TODAY - timedelta(days=3): 0,
            TODAY - timedelta(days=2): None,
            TODAY - timedelta(days=1): 7,
            TODAY: 3,
        }
    }
    with app.app_context():
        assert q.day_levels([], since=TODAY) == {}
        assert q.day_levels([silent.id.hex], since=TODAY - timedelta(days=30)) == {}


def _at(days_ago: int, hour: int = 10) -> datetime:
    return datetime.combine(TODAY - timedelta(days=days_ago), time(hour), tzinfo=UTC)


def test_key_scores_baseline_latest_previous_with_ties_and_gaps(app, make):
    clinician = make.clinician()
    many, single, pair, none = (make.patient(team=[clinician]) for _ in range(4))
    ids = {n: uuid.UUID(int=n) for n in range(1, 20)}
    _responses(
        app,
        many,
        clinician,
        [
            (ids[1], "phq9", _at(200), 20),
            (ids[2], "phq9", _at(200), 18),  # same moment as the first: the lower id is first
            (ids[3], "phq9", _at(100), 15),
            (ids[4], "phq9", _at(30), None),  # incomplete: not a total
            (ids[5], "phq9", None, None),  # never submitted
            (ids[6], "phq9", _at(10), 9),
            (ids[7], "phq9", _at(10), 12),  # tie with the latest: the higher id is the latest
            (ids[8], "gad7", _at(50), 5),
        ],
    )
    _responses(app, single, clinician, [(ids[9], "phq9", _at(5), 4)])
    _responses(app, pair, clinician, [(ids[10], "gad7", _at(60), 3), (ids[11], "gad7", _at(2), 9)])
    _responses(app, none, clinician, [(ids[12], "phq9", None, None)])
    with app.app_context():
        rows = q.key_scores([many.id.hex, single.id.hex, pair.id.hex, none.id.hex])
    found = {
        (r.patient, r.instrument_id): (r.latest, r.previous, r.baseline, r.complete) for r in rows
    }
    assert found == {  # (latest, previous, baseline, complete totals)
        (many.id.hex, "phq9"): (12, 9, 20, 5),
        (many.id.hex, "gad7"): (5, None, 5, 1),
        (single.id.hex, "phq9"): (4, None, 4, 1),
        (pair.id.hex, "gad7"): (9, 3, 3, 2),
    }
    times = {(r.patient, r.instrument_id): (r.latest_at, r.baseline_at) for r in rows}
    assert times[(many.id.hex, "phq9")] == (_at(10), _at(200))
    assert times[(pair.id.hex, "gad7")] == (_at(2), _at(60))
    assert all(r.latest_at.tzinfo is not None and r.baseline_at.tzinfo for r in rows)


def test_key_scores_order_moments_to_the_microsecond_and_ids_by_value(app, make):
    """The packed totals sort as texts: a time on the whole second, one a microsecond later and
    one half a second later must keep their order (fixed-width UTC text on both databases), and
    at the same moment the higher id wins even when its hex digits start with letters."""
    clinician = make.clinician()
    timed, tied = make.patient(team=[clinician]), make.patient(team=[clinician])
    second = _at(10)
    _responses(
        app,
        timed,
        clinician,
        [
            (uuid.uuid4(), "phq9", second + timedelta(milliseconds=500), 7),
            (uuid.uuid4(), "phq9", second + timedelta(microseconds=1), 5),
            (uuid.uuid4(), "phq9", second, 3),
            (uuid.uuid4(), "phq9", second - timedelta(microseconds=1), 1),
        ],
    )
    low, high = uuid.UUID("9" + "f" * 31), uuid.UUID("a" + "0" * 31)
    _responses(app, tied, clinician, [(high, "gad7", second, 11), (low, "gad7", second, 2)])
    with app.app_context():
        rows = {(k.patient, k.instrument_id): k for k in q.key_scores([timed.id.hex, tied.id.hex])}
    timed_key = rows[(timed.id.hex, "phq9")]
    assert (timed_key.latest, timed_key.previous, timed_key.baseline) == (7, 5, 1)
    assert timed_key.latest_at == second + timedelta(milliseconds=500)
    assert timed_key.baseline_at == second - timedelta(microseconds=1)
    tied_key = rows[(tied.id.hex, "gad7")]
    assert (tied_key.latest, tied_key.previous, tied_key.baseline) == (11, 2, 2)


def test_incomplete_latest_only_when_the_newest_submitted_response_has_no_total(app, make):
    clinician = make.clinician()
    newer, older, tie_lost, tie_won, only = (make.patient(team=[clinician]) for _ in range(5))
    ids = {n: uuid.UUID(int=n) for n in range(1, 20)}
    _responses(
        app, newer, clinician, [(ids[1], "phq9", _at(10), 9), (ids[2], "phq9", _at(5), None)]
    )
    _responses(
        app, older, clinician, [(ids[3], "phq9", _at(20), None), (ids[4], "phq9", _at(5), 9)]
    )
    # The same moment: the higher id is the latest, complete or not.
    _responses(
        app, tie_lost, clinician, [(ids[5], "gad7", _at(5), None), (ids[6], "gad7", _at(5), 3)]
    )
    _responses(
        app, tie_won, clinician, [(ids[8], "gad7", _at(5), None), (ids[7], "gad7", _at(5), 3)]
    )
    _responses(
        app, only, clinician, [(ids[9], "phq9", _at(40), None), (ids[10], "phq9", _at(3), None)]
    )
    with app.app_context():
        keys = q.key_scores([p.id.hex for p in (newer, older, tie_lost, tie_won, only)])
        found = {(r.patient, r.instrument_id): r.submitted_at for r in q.incomplete_latest(keys)}
        assert q.incomplete_latest([]) == []
    assert found == {
        (newer.id.hex, "phq9"): _at(5),
        (tie_won.id.hex, "gad7"): _at(5),
        (only.id.hex, "phq9"): _at(3),
    }
    by_pair = {(k.patient, k.instrument_id): k for k in keys}
    assert (
        by_pair[(only.id.hex, "phq9")].latest is None
        and by_pair[(only.id.hex, "phq9")].complete == 0
    )
    assert by_pair[(tie_won.id.hex, "gad7")].latest == 3


@time_machine.travel(NOW, tick=False)
def test_states_for_patients_without_data_and_with_only_old_entries(app, make):
    clinician = make.clinician()
    empty = make.patient(team=[clinician])
    old = make.patient(team=[clinician])
    recent = make.patient(team=[clinician])
    with app.app_context():  # enrolled three months ago; `empty` was enrolled today
        for p in (old, recent):
            db.session.get(Patient, p.id).enrolled_at = NOW - timedelta(days=90)
        db.session.commit()
    _entry(app, old, TODAY - timedelta(days=60), 5)
    for n in range(1, 22):  # a rise on the last 3 days over a baseline of 2s
        if n != 4:
            _entry(app, recent, TODAY - timedelta(days=n - 1), 6 if n <= 3 else 2)
    with app.test_request_context():
        patients = [db.session.get(Patient, p.id) for p in (empty, old, recent)]
        states = caseload.states(patients, now=NOW)
    nothing, stale, active = (states[p.id] for p in (empty, old, recent))
    assert nothing.last_entry is None and stale.last_entry == TODAY - timedelta(days=60)
    assert active.last_entry == TODAY
    # enrolled today: nothing to count yet, so not flagged (defect 12)
    assert nothing.adherence == analytics.Adherence(0, 0) and not nothing.adherence.low
    assert analytics.Flag.LOW_ADHERENCE not in nothing.flags
    assert active.adherence == analytics.Adherence(13, 14)
    assert nothing.scores == {} and nothing.not_improving is None
    assert analytics.Flag.SYMPTOM_RISE in active.flags
    assert analytics.Flag.SYMPTOM_RISE not in stale.flags
    assert analytics.Flag.LOW_ADHERENCE in stale.flags
