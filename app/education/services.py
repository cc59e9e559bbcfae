"""Education writes: typed, keyword-only; they flush, the request commits. Every write is
idempotent (a second recommendation, opening or practice mark of the same thing changes no
row but the opening's counter)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, TypeVar

from sqlalchemy import delete, select

from app.auth.models import User
from app.careteam.models import Patient
from app.db import db, utcnow
from app.education.models import LessonOpening, LessonRecommendation, PlanLesson, PracticeDay

_Row = TypeVar("_Row", LessonRecommendation, PlanLesson, LessonOpening, PracticeDay)


def _find(model: type[_Row], **keys: Any) -> _Row | None:
    """The one row of `model` with these column values (each write's natural key), or None."""
    return db.session.scalar(
        select(model).where(*(getattr(model, name) == value for name, value in keys.items()))
    )


def _find_or_add(model: type[_Row], *, keys: dict[str, Any], **values: Any) -> _Row:
    """The row with these keys, or a new one with the keys and `values`, flushed."""
    found = _find(model, **keys)
    if found is None:
        found = model(**keys, **values)
        db.session.add(found)
        db.session.flush()
    return found


def recommend(*, patient: Patient, lesson_key: str, actor: User) -> LessonRecommendation:
    return _find_or_add(
        LessonRecommendation,
        keys={"patient_id": patient.id, "lesson_key": lesson_key},
        recommended_by_id=actor.id,
    )


def attach_to_plan(
    *, patient: Patient, plan_item_id: str, lesson_key: str, actor: User
) -> PlanLesson:
    return _find_or_add(
        PlanLesson,
        keys={"patient_id": patient.id, "plan_item_id": plan_item_id, "lesson_key": lesson_key},
        attached_by_id=actor.id,
    )


def record_opening(
    *, patient: Patient, lesson_key: str, now: datetime | None = None
) -> LessonOpening:
    at = now or utcnow()
    found = _find(LessonOpening, patient_id=patient.id, lesson_key=lesson_key)
    if found is None:
        found = LessonOpening(
            patient_id=patient.id, lesson_key=lesson_key, first_opened_at=at, last_opened_at=at
        )
        db.session.add(found)
    else:
        found.last_opened_at = at
        found.times += 1
    db.session.flush()
    return found


def log_practice(
    *, patient: Patient, lesson_key: str, local_date: date, now: datetime | None = None
) -> PracticeDay:
    return _find_or_add(
        PracticeDay,
        keys={"patient_id": patient.id, "lesson_key": lesson_key, "local_date": local_date},
        recorded_at=now or utcnow(),
    )


def unlog_practice(*, patient: Patient, lesson_key: str, local_date: date) -> None:
    db.session.execute(
        delete(PracticeDay).where(
            PracticeDay.patient_id == patient.id,
            PracticeDay.lesson_key == lesson_key,
            PracticeDay.local_date == local_date,
        )
    )
    db.session.flush()


def practice_exists(*, patient: Patient, lesson_key: str) -> bool:
    return (
        db.session.scalar(
            select(PracticeDay.id)
            .where(PracticeDay.patient_id == patient.id, PracticeDay.lesson_key == lesson_key)
            .limit(1)
        )
        is not None
    )
