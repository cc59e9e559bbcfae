"""Education in a patient's export: recommendations (FHIR Communication), lessons attached to
the care plan, openings, and the practice log (plain rows; no standard code exists for "did a
self-care exercise", so no Observation is invented). Erasure deletes every row: they describe
the person's own behaviour and are not care records that must be kept."""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, select

from app.careteam.models import Patient
from app.datarights.registry import Section, eraser, exporter
from app.db import db
from app.education.content import LESSONS
from app.education.models import LessonOpening, LessonRecommendation, PlanLesson, PracticeDay

TABLES = (LessonRecommendation, PlanLesson, LessonOpening, PracticeDay)


def _title(key: str) -> str:
    lesson = LESSONS.get(key)
    return str(lesson.title) if lesson is not None else key


@exporter(
    covers=TABLES,
    sections=("lesson_recommendations", "care_plan_lessons", "lesson_openings", "practice_log"),
)
def education(patient: Patient) -> list[Section]:
    def rows(model: Any, order: Any) -> list[Any]:
        return list(
            db.session.scalars(select(model).where(model.patient_id == patient.id).order_by(order))
        )

    recommended = rows(LessonRecommendation, LessonRecommendation.created_at)
    attached = rows(PlanLesson, PlanLesson.attached_at)
    opened = rows(LessonOpening, LessonOpening.first_opened_at)
    practised = rows(PracticeDay, PracticeDay.local_date)
    return [
        Section(
            "lesson_recommendations",
            [
                {
                    "lesson": r.lesson_key,
                    "title": _title(r.lesson_key),
                    "recommended_at": r.created_at.isoformat(),
                }
                for r in recommended
            ],
            [_communication(r) for r in recommended],
        ),
        Section(
            "care_plan_lessons",
            [
                {
                    "lesson": r.lesson_key,
                    "title": _title(r.lesson_key),
                    "plan_item": r.plan_item_id,
                    "attached_at": r.attached_at.isoformat(),
                }
                for r in attached
            ],
        ),
        Section(
            "lesson_openings",
            [
                {
                    "lesson": r.lesson_key,
                    "title": _title(r.lesson_key),
                    "first_opened_at": r.first_opened_at.isoformat(),
                    "last_opened_at": r.last_opened_at.isoformat(),
                    "times": r.times,
                }
                for r in opened
            ],
        ),
        Section(
            "practice_log",
            [
                {
                    "date": r.local_date.isoformat(),
                    "lesson": r.lesson_key,
                    "title": _title(r.lesson_key),
                    "recorded_at": r.recorded_at.isoformat(),
                }
                for r in practised
            ],
        ),
    ]


def _communication(row: LessonRecommendation) -> dict[str, Any]:
    """A recommendation as a FHIR Communication to the patient about the lesson."""
    return {
        "resourceType": "Communication",
        "id": str(row.id),
        "status": "completed",
        "subject": {"reference": f"Patient/{row.patient_id}"},
        "recipient": [{"reference": f"Patient/{row.patient_id}"}],
        "sent": row.created_at.isoformat(),
        "topic": {"text": _title(row.lesson_key)},
        "payload": [{"contentString": f"Heed lesson: {row.lesson_key}"}],
    }


@eraser(covers=TABLES)
def erase_education(patient: Patient) -> None:
    for model in TABLES:
        db.session.execute(delete(model).where(model.patient_id == patient.id))
    db.session.flush()
