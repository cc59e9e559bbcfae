"""The education library's records for one patient: lessons a clinician recommended, lessons
attached to a care-plan goal or intervention, the patient's own openings, and the practice log.

The lessons themselves are content (`app.education.content`), referred to by key. The practice
log behaves like a diary field: a row says "practised on this local date"; no row is unknown,
never "did not practise".
"""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Base, UUIDPrimaryKey, utcnow

KEY_MAX = 40


class LessonRecommendation(UUIDPrimaryKey, Base):
    """A clinician recommended a lesson to a patient (once per lesson; shown on their home)."""

    __tablename__ = "lesson_recommendations"
    __table_args__ = (
        UniqueConstraint("patient_id", "lesson_key", name="uq_lesson_recommendations_patient"),
        Index("ix_lesson_recommendations_created_at", "created_at"),
    )

    patient_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("patients.id"))
    lesson_key: Mapped[str] = mapped_column(String(KEY_MAX))
    recommended_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class PlanLesson(UUIDPrimaryKey, Base):
    """A lesson attached to one care-plan goal or intervention (its stable id in the plan)."""

    __tablename__ = "plan_lessons"
    __table_args__ = (
        UniqueConstraint("patient_id", "plan_item_id", "lesson_key", name="uq_plan_lessons_item"),
    )

    patient_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("patients.id"))
    plan_item_id: Mapped[str] = mapped_column(String(36))
    lesson_key: Mapped[str] = mapped_column(String(KEY_MAX))
    attached_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))
    attached_at: Mapped[datetime] = mapped_column(default=utcnow)


class LessonOpening(UUIDPrimaryKey, Base):
    """The patient opened a lesson: when first and last, and how often."""

    __tablename__ = "lesson_openings"
    __table_args__ = (
        UniqueConstraint("patient_id", "lesson_key", name="uq_lesson_openings_patient"),
        Index("ix_lesson_openings_first_opened_at", "first_opened_at"),
    )

    patient_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("patients.id"))
    lesson_key: Mapped[str] = mapped_column(String(KEY_MAX))
    first_opened_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_opened_at: Mapped[datetime] = mapped_column(default=utcnow)
    times: Mapped[int] = mapped_column(default=1)


class PracticeDay(UUIDPrimaryKey, Base):
    """The patient practised a lesson's step on a local date (one row per lesson and day)."""

    __tablename__ = "practice_days"
    __table_args__ = (
        UniqueConstraint("patient_id", "local_date", "lesson_key", name="uq_practice_days_day"),
        Index("ix_practice_days_recorded_at", "recorded_at"),
    )

    patient_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("patients.id"))
    local_date: Mapped[date]
    lesson_key: Mapped[str] = mapped_column(String(KEY_MAX))
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)
