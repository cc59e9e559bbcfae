"""Page contexts for the library and a lesson: who reads (patient, caregiver, staff), which
lessons they see, the patient's own recommendations, openings and recent practice days."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from flask_login import current_user
from sqlalchemy import select

from app.auth.models import Role
from app.careplan.queries import latest_version
from app.careteam.models import Patient
from app.db import db
from app.diary.queries import local_today
from app.education import queries
from app.education.content import LESSONS, Audience, Lesson, for_audience
from app.i18n.bidi import isolate

RECENT_PRACTICE_DAYS = 14


def own_patient() -> Patient | None:
    """The signed-in patient's own record (None for every other role)."""
    if current_user.role != Role.PATIENT:
        return None
    return db.session.scalar(select(Patient).where(Patient.user_id == current_user.id))


def may_read(lesson: Lesson) -> bool:
    """Caregivers read caregiver and general lessons; patients patient and general ones; staff
    read every lesson (to recommend them)."""
    match current_user.role:
        case Role.CAREGIVER:
            return lesson.audience != Audience.PATIENT
        case Role.PATIENT:
            return lesson.audience != Audience.CAREGIVER
    return True


def library_context(patient: Patient | None) -> dict[str, Any]:
    if current_user.role in (Role.PATIENT, Role.CAREGIVER):
        lessons = for_audience(caregiver=current_user.role == Role.CAREGIVER)
    else:
        lessons = list(LESSONS.values())
    recommended = (
        [LESSONS[r.lesson_key] for r in queries.recommendations(patient) if r.lesson_key in LESSONS]
        if patient is not None
        else []
    )
    opened = queries.openings(patient) if patient is not None else {}
    return {
        "lessons": [item for item in lessons if item not in recommended],
        "recommended": recommended,
        "opened": opened,
    }


def lesson_context(lesson: Lesson, patient: Patient | None) -> dict[str, Any]:
    recent: list[Any] = []
    if patient is not None and lesson.loggable:
        today = local_today(patient)
        recent = queries.practice_days(
            patient,
            start=today - timedelta(days=RECENT_PRACTICE_DAYS - 1),
            end=today,
            lesson_key=lesson.key,
        )
    return {
        "lesson": lesson,
        "patient": patient,
        "recent": recent,
        "recent_days": RECENT_PRACTICE_DAYS,
    }


def plan_items(patient: Patient) -> list[tuple[str, str]]:
    """(id, text) of the goals and interventions in the patient's current care plan."""
    latest = latest_version(patient)
    if latest is None:
        return []
    plan = latest.plan
    return [(g.id, isolate(g.what)) for g in plan.goals] + [
        (i.id, isolate(i.what)) for i in plan.interventions
    ]
