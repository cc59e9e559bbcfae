"""Education reads: one patient's recommendations, attachments, openings and practice days;
the summary rows for the care team; the clinic's aggregate usage for the metrics page."""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, select

from app.careteam.models import Patient
from app.db import db
from app.education.content import LESSONS, Lesson
from app.education.models import LessonOpening, LessonRecommendation, PlanLesson, PracticeDay

PRACTICE_WINDOW_DAYS = 30


def recommendations(patient: Patient) -> list[LessonRecommendation]:
    return list(
        db.session.scalars(
            select(LessonRecommendation)
            .where(LessonRecommendation.patient_id == patient.id)
            .order_by(LessonRecommendation.created_at.desc())
        )
    )


def openings(patient: Patient) -> dict[str, LessonOpening]:
    rows = db.session.scalars(select(LessonOpening).where(LessonOpening.patient_id == patient.id))
    return {row.lesson_key: row for row in rows}


def practice_days(
    patient: Patient, *, start: date, end: date, lesson_key: str | None = None
) -> list[PracticeDay]:
    query = select(PracticeDay).where(
        PracticeDay.patient_id == patient.id,
        PracticeDay.local_date >= start,
        PracticeDay.local_date <= end,
    )
    if lesson_key is not None:
        query = query.where(PracticeDay.lesson_key == lesson_key)
    return list(db.session.scalars(query.order_by(PracticeDay.local_date.desc())))


def plan_lessons(patient: Patient) -> dict[str, list[Lesson]]:
    """Lessons attached to each care-plan item (goal or intervention id)."""
    found: dict[str, list[Lesson]] = defaultdict(list)
    rows = db.session.scalars(
        select(PlanLesson)
        .where(PlanLesson.patient_id == patient.id)
        .order_by(PlanLesson.attached_at)
    )
    for row in rows:
        if row.lesson_key in LESSONS:
            found[row.plan_item_id].append(LESSONS[row.lesson_key])
    return dict(found)


@dataclass(frozen=True)
class LessonUse:
    lesson: Lesson
    recommended_at: datetime | None
    first_opened_at: datetime | None
    last_opened_at: datetime | None
    times_opened: int
    practice_days: int  # days with a practice mark in the window (missing days are unknown)
    last_practised: date | None


def usage(patient: Patient, *, start: date, end: date) -> list[LessonUse]:
    """Every lesson the patient was recommended, opened or practised: what the care team sees."""
    recommended = {r.lesson_key: r.created_at for r in recommendations(patient)}
    opened = openings(patient)
    practised: dict[str, list[date]] = defaultdict(list)
    for day in practice_days(patient, start=start, end=end):
        practised[day.lesson_key].append(day.local_date)
    keys = [k for k in LESSONS if k in recommended or k in opened or k in practised]
    return [
        LessonUse(
            lesson=LESSONS[k],
            recommended_at=recommended.get(k),
            first_opened_at=opened[k].first_opened_at if k in opened else None,
            last_opened_at=opened[k].last_opened_at if k in opened else None,
            times_opened=opened[k].times if k in opened else 0,
            practice_days=len(practised.get(k, [])),
            last_practised=max(practised[k]) if practised.get(k) else None,
        )
        for k in keys
    ]


@dataclass(frozen=True)
class ClinicUsage:
    recommendations: int
    patients_opened: int
    openings_first: int
    practice_days: int
    patients_practised: int


def clinic_usage(
    clinic_id: uuid.UUID, *, start: date, end: date, since: datetime, until: datetime
) -> ClinicUsage:
    """Aggregate counts for one clinic: recommendations and first openings in [since, until)
    (UTC instants), practice marks on local dates in [start, end]. Three queries, no names."""
    in_clinic = select(Patient.id).where(Patient.clinic_id == clinic_id).scalar_subquery()
    recs = db.session.scalar(
        select(func.count(LessonRecommendation.id)).where(
            LessonRecommendation.patient_id.in_(in_clinic),
            LessonRecommendation.created_at >= since,
            LessonRecommendation.created_at < until,
        )
    )
    opened = db.session.execute(
        select(
            func.count(LessonOpening.id), func.count(func.distinct(LessonOpening.patient_id))
        ).where(
            LessonOpening.patient_id.in_(in_clinic),
            LessonOpening.first_opened_at >= since,
            LessonOpening.first_opened_at < until,
        )
    ).one()
    practised = db.session.execute(
        select(func.count(PracticeDay.id), func.count(func.distinct(PracticeDay.patient_id))).where(
            PracticeDay.patient_id.in_(in_clinic),
            PracticeDay.local_date >= start,
            PracticeDay.local_date <= end,
        )
    ).one()
    return ClinicUsage(
        recommendations=recs or 0,
        patients_opened=opened[1],
        openings_first=opened[0],
        practice_days=practised[0],
        patients_practised=practised[1],
    )
