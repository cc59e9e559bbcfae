"""Diary data for care-plan goals: sleep hours, activity minutes and symptom ratings per day.

Registered with `app.careplan.sources`; a day without the relevant answer is absent, never 0.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from sqlalchemy import func, select

from app.careplan import sources
from app.careplan.content import Measure
from app.careteam.models import Patient
from app.db import db
from app.diary.models import ActivityBlock, DiaryEntry, SymptomRating


def _in_window(patient: Patient, start: date, end: date):
    return (
        DiaryEntry.patient_id == patient.id,
        DiaryEntry.local_date >= start,
        DiaryEntry.local_date <= end,
    )


def sleep_hours(
    patient: Patient, measure: Measure, start: date, end: date
) -> list[tuple[date, float | None]]:
    rows = db.session.execute(
        select(DiaryEntry.local_date, DiaryEntry.sleep_minutes).where(
            *_in_window(patient, start, end), DiaryEntry.sleep_minutes.is_not(None)
        )
    )
    return [(day, minutes / 60) for day, minutes in rows]


def activity_minutes(
    patient: Patient, measure: Measure, start: date, end: date
) -> list[tuple[date, float | None]]:
    """Minutes of the goal's activity kind on each day the patient recorded any activity."""
    rows = db.session.execute(
        select(DiaryEntry.local_date, ActivityBlock.kind, func.sum(ActivityBlock.done_minutes))
        .join(ActivityBlock, ActivityBlock.entry_id == DiaryEntry.id)
        .where(*_in_window(patient, start, end))
        .group_by(DiaryEntry.local_date, ActivityBlock.kind)
    )
    minutes: dict[date, float] = defaultdict(float)
    for day, kind, total in rows:
        minutes[day] += float(total or 0) if kind == measure.subject else 0.0
    return sorted(minutes.items())


def symptom_rating(
    patient: Patient, measure: Measure, start: date, end: date
) -> list[tuple[date, float | None]]:
    """The day's highest rating of the goal's symptom (several body sites count once)."""
    rows = db.session.execute(
        select(DiaryEntry.local_date, func.max(SymptomRating.score))
        .join(SymptomRating, SymptomRating.entry_id == DiaryEntry.id)
        .where(*_in_window(patient, start, end), SymptomRating.symptom_key == measure.subject)
        .group_by(DiaryEntry.local_date)
    )
    return [(day, float(score)) for day, score in rows]


def register() -> None:
    sources.register("sleep_hours_nights_per_week", sleep_hours)
    sources.register("activity_minutes_days_per_week", activity_minutes)
    sources.register("symptom_at_most_most_days", symptom_rating)
