"""Occurrence planning: every schedule kind, windows across DST, editing never duplicates."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import time_machine
from sqlalchemy import func, select

from app.auth.models import User
from app.careteam.models import Patient
from app.db import db
from app.instruments import loader, services
from app.instruments.models import Occurrence, Response, ScheduleKind
from app.instruments.schedules import Schedule, due_dates, window

D = date(2026, 3, 2)  # a Monday


def test_once():
    s = Schedule(kind=ScheduleKind.ONCE, start=D)
    assert due_dates(s, since=D, until=D + timedelta(days=30)) == [D]
    assert due_dates(s, since=D + timedelta(days=1), until=D + timedelta(days=30)) == []


def test_every_n_days_keeps_its_anchor():
    s = Schedule(kind=ScheduleKind.EVERY_N_DAYS, start=D, interval_days=14)
    assert due_dates(s, since=D, until=D + timedelta(days=30)) == [
        D,
        D + timedelta(days=14),
        D + timedelta(days=28),
    ]
    assert due_dates(s, since=D + timedelta(days=3), until=D + timedelta(days=30)) == [
        D + timedelta(days=14),
        D + timedelta(days=28),
    ]


def test_weekly_on_chosen_weekdays():
    s = Schedule(kind=ScheduleKind.WEEKLY, start=D, weekdays=frozenset({0, 3}))
    dates = due_dates(s, since=D, until=D + timedelta(days=13))
    assert [d.weekday() for d in dates] == [0, 3, 0, 3]


def test_days_before_each_followup():
    s = Schedule(kind=ScheduleKind.BEFORE_FOLLOWUP, start=D, days_before=3)
    followups = [D + timedelta(days=10), D + timedelta(days=40), D + timedelta(days=1)]
    assert due_dates(s, since=D, until=D + timedelta(days=60), followups=followups) == [
        D + timedelta(days=7),
        D + timedelta(days=37),
    ]


def test_window_is_local_days_across_dst():
    opens, closes = window(date(2026, 3, 7), tz="America/New_York", window_days=3)
    assert opens == datetime(2026, 3, 7, 5, 0, tzinfo=UTC)
    assert closes == datetime(2026, 3, 10, 4, 0, tzinfo=UTC)  # DST began on 8 March


def _count(assignment_id) -> int:
    return db.session.scalar(
        select(func.count())
        .select_from(Occurrence)
        .where(Occurrence.assignment_id == assignment_id)
    )


def test_materialize_over_time_and_edit_without_duplicates(app, make):
    clinician = make.clinician()
    patient = make.patient(team=[clinician], timezone="Europe/Berlin")
    with (
        time_machine.travel(datetime(2026, 3, 2, 9, tzinfo=UTC), tick=False),
        app.test_request_context(),
    ):
        p, c = db.session.get(Patient, patient.id), db.session.get(User, clinician.id)
        a = services.assign_instrument(
            patient=p,
            definition=loader.registry()["gad7"],
            schedule=Schedule(kind=ScheduleKind.EVERY_N_DAYS, start=D, interval_days=7),
            window_days=3,
            actor=c,
        )
        db.session.commit()
        assignment_id = a.id
        assert _count(assignment_id) == 1
    with (
        time_machine.travel(datetime(2026, 3, 23, 9, tzinfo=UTC), tick=False),
        app.test_request_context(),
    ):
        p = db.session.get(Patient, patient.id)
        services.materialize(patient=p)
        services.materialize(patient=p)  # idempotent
        assert _count(assignment_id) == 4  # 2, 9, 16, 23 March
        past = set(
            db.session.scalars(
                select(Occurrence.id).where(Occurrence.assignment_id == assignment_id)
            )
        )
        a = db.session.get(type(a), assignment_id)
        services.update_assignment(
            assignment=a,
            patient=p,
            schedule=Schedule(kind=ScheduleKind.EVERY_N_DAYS, start=D, interval_days=3),
            window_days=2,
        )
        db.session.commit()
        after = set(
            db.session.scalars(
                select(Occurrence.id).where(Occurrence.assignment_id == assignment_id)
            )
        )
        assert past <= after and len(after) == 4  # nothing reset, nothing duplicated
    with (
        time_machine.travel(datetime(2026, 3, 29, 9, tzinfo=UTC), tick=False),
        app.test_request_context(),
    ):
        services.materialize(patient=db.session.get(Patient, patient.id))
        due = sorted(
            db.session.scalars(
                select(Occurrence.due_date).where(Occurrence.assignment_id == assignment_id)
            )
        )
        # From the edit on, every 3 days from the anchor: 26 and 29 March.
        assert due[-2:] == [date(2026, 3, 26), date(2026, 3, 29)]
        assert db.session.scalar(select(func.count()).select_from(Response)) == 0
