"""Education reads: one patient's recommendations, attachments, openings and practice days;
the summary rows for the care team; the clinic's aggregate usage for the metrics page."""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Date, cast, func, literal, null, select, union_all

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
    """Every lesson the patient was recommended, opened or practised: what the care team sees.
    One query (the pre-visit summary has a query budget)."""
    no_time = cast(null(), LessonRecommendation.created_at.type)
    recs = select(
        literal("r").label("kind"),
        LessonRecommendation.lesson_key.label("lesson"),
        LessonRecommendation.created_at.label("at"),
        no_time.label("last_at"),
        literal(0).label("n"),
        cast(null(), Date).label("day"),
    ).where(LessonRecommendation.patient_id == patient.id)
    opened = select(
        literal("o"),
        LessonOpening.lesson_key,
        LessonOpening.first_opened_at,
        LessonOpening.last_opened_at,
        LessonOpening.times,
        cast(null(), Date),
    ).where(LessonOpening.patient_id == patient.id)
    practised = (
        select(
            literal("p"),
            PracticeDay.lesson_key,
            no_time,
            no_time,
            func.count(PracticeDay.id),
            func.max(PracticeDay.local_date),
        )
        .where(
            PracticeDay.patient_id == patient.id,
            PracticeDay.local_date >= start,
            PracticeDay.local_date <= end,
        )
        .group_by(PracticeDay.lesson_key)
    )
    rows = db.session.execute(union_all(recs, opened, practised)).all()
    found: dict[str, dict[str, Any]] = defaultdict(dict)
    for kind, key, at, last_at, n, day in rows:
        found[key][kind] = (at, last_at, n, day)
    return [
        LessonUse(
            lesson=LESSONS[k],
            recommended_at=found[k]["r"][0] if "r" in found[k] else None,
            first_opened_at=found[k]["o"][0] if "o" in found[k] else None,
            last_opened_at=found[k]["o"][1] if "o" in found[k] else None,
            times_opened=found[k]["o"][2] if "o" in found[k] else 0,
            practice_days=found[k]["p"][2] if "p" in found[k] else 0,
            last_practised=_day(found[k]["p"][3]) if "p" in found[k] else None,
        )
        for k in LESSONS
        if k in found
    ]


def _day(value: date | str | None) -> date | None:
    """MAX() of a date comes back as text on SQLite."""
    return date.fromisoformat(value) if isinstance(value, str) else value


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
