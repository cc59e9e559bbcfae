"""The diary's receivers: its sections on the home and record pages, and its data for care-plan
goals (sleep hours, activity minutes and symptom ratings per day; a day without the relevant
answer is absent, never 0)."""

from __future__ import annotations

from datetime import date

from flask_login import current_user
from sqlalchemy import func, select

from app.access import Action, may
from app.careplan.content import Measure
from app.careplan.sources import observes
from app.careteam.models import Patient
from app.db import db
from app.diary import queries
from app.diary.models import ActivityBlock, DiaryEntry, SymptomRating
from app.diary.summary import diary_summary, may_observe
from app.sections import Section, provider


@provider("home")
def diary_today(patient: Patient) -> Section | None:
    """For the patient's own home page: today's local date and whether it has an entry."""
    if not may(current_user, Action.WRITE_DIARY, patient):
        return None
    today = queries.local_today(patient)
    done = bool(queries.days_with_entries(patient, today, today))
    return Section("diary/_home_card.html", {"diary": {"today": today, "done": done}}, order=5)


@provider("record")
def record_section(patient: Patient) -> Section | None:
    summary = diary_summary(patient)
    observe = may_observe(patient)
    if summary is None and not observe:
        return None
    return Section(
        "diary/_record_summary.html", {"diary": summary, "may_observe": observe}, order=10
    )


def _in_window(patient: Patient, start: date, end: date):
    return (
        DiaryEntry.patient_id == patient.id,
        DiaryEntry.local_date >= start,
        DiaryEntry.local_date <= end,
    )


@observes("sleep_hours_nights_per_week")
def sleep_hours(
    _kind: str, /, *, patient: Patient, measure: Measure, start: date, end: date
) -> list[tuple[date, float | None]]:
    rows = db.session.execute(
        select(DiaryEntry.local_date, DiaryEntry.sleep_minutes).where(
            *_in_window(patient, start, end), DiaryEntry.sleep_minutes.is_not(None)
        )
    )
    return [(day, minutes / 60) for day, minutes in rows]


@observes("activity_minutes_days_per_week")
def activity_minutes(
    _kind: str, /, *, patient: Patient, measure: Measure, start: date, end: date
) -> list[tuple[date, float | None]]:
    """Done minutes of the goal's activity kind per day. A day counts only when the patient
    recorded done minutes: of that kind (their sum), or of other kinds only (0: they said what
    they did, and it was not this). Minutes only planned, a done field left empty, or a day
    without pacing say nothing about what was done: those days are missing, never 0."""
    rows = db.session.execute(
        select(DiaryEntry.local_date, ActivityBlock.kind, func.sum(ActivityBlock.done_minutes))
        .join(ActivityBlock, ActivityBlock.entry_id == DiaryEntry.id)
        .where(*_in_window(patient, start, end))
        .group_by(DiaryEntry.local_date, ActivityBlock.kind)
    )
    minutes: dict[date, float] = {}
    unknown: set[date] = set()  # the goal's kind recorded without done minutes
    others: set[date] = set()  # done minutes of other kinds recorded
    for day, kind, total in rows:
        if kind != measure.subject:
            if total is not None:
                others.add(day)
        elif total is None:
            unknown.add(day)
        else:
            minutes[day] = float(total)
    for day in others - unknown - minutes.keys():
        minutes[day] = 0.0
    return sorted(minutes.items())


@observes("symptom_at_most_most_days")
def symptom_rating(
    _kind: str, /, *, patient: Patient, measure: Measure, start: date, end: date
) -> list[tuple[date, float | None]]:
    """The day's highest rating of the goal's symptom (several body sites count once)."""
    rows = db.session.execute(
        select(DiaryEntry.local_date, func.max(SymptomRating.score))
        .join(SymptomRating, SymptomRating.entry_id == DiaryEntry.id)
        .where(*_in_window(patient, start, end), SymptomRating.symptom_key == measure.subject)
        .group_by(DiaryEntry.local_date)
    )
    return [(day, float(score)) for day, score in rows]
