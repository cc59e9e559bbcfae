"""Assignments (with schedules), materialized occurrences, responses and caregiver check-ins."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db import Base, UUIDPrimaryKey, str_enum, utcnow


class ScheduleKind(StrEnum):
    ONCE = "once"
    EVERY_N_DAYS = "every_n_days"
    WEEKLY = "weekly"
    BEFORE_FOLLOWUP = "before_followup"


class AssignmentStatus(StrEnum):
    ACTIVE = "active"
    PAUSED = "paused"
    ENDED = "ended"


class Assignment(UUIDPrimaryKey, Base):
    """A clinician asks a patient to answer one instrument on a schedule."""

    __tablename__ = "instrument_assignments"
    __table_args__ = (
        CheckConstraint("window_days BETWEEN 1 AND 60", name="window_days_range"),
        CheckConstraint(
            "schedule_kind <> 'every_n_days' OR interval_days BETWEEN 1 AND 365",
            name="interval_for_every_n_days",
        ),
        CheckConstraint(
            "schedule_kind <> 'before_followup' OR days_before BETWEEN 0 AND 60",
            name="days_before_for_followups",
        ),
        CheckConstraint("schedule_kind <> 'weekly' OR weekdays <> ''", name="weekdays_for_weekly"),
    )

    patient_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("patients.id"), index=True)
    instrument_id: Mapped[str] = mapped_column(String(40))
    assigned_by_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"))
    schedule_kind: Mapped[ScheduleKind] = mapped_column(str_enum(ScheduleKind, "schedule_kind"))
    start_date: Mapped[date]
    # Occurrences before this date belong to an earlier version of the schedule and are kept.
    schedule_from: Mapped[date]
    interval_days: Mapped[int | None]
    weekdays: Mapped[str] = mapped_column(String(20), default="")  # "0,3" = Monday, Thursday
    days_before: Mapped[int | None]
    window_days: Mapped[int] = mapped_column(default=3)
    status: Mapped[AssignmentStatus] = mapped_column(
        str_enum(AssignmentStatus, "assignment_status"), default=AssignmentStatus.ACTIVE
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class Occurrence(UUIDPrimaryKey, Base):
    """One due questionnaire: a row per assignment and due date, never recomputed once past."""

    __tablename__ = "instrument_occurrences"
    __table_args__ = (
        UniqueConstraint("assignment_id", "due_date", name="uq_occurrence_assignment_due"),
        CheckConstraint("closes_at > opens_at", name="window_positive"),
        # The caseload's overdue count reads these columns alone for many patients at once.
        Index(
            "ix_instrument_occurrences_patient_due",
            "patient_id",
            "due_date",
            "closes_at",
            "id",
        ),
    )

    assignment_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("instrument_assignments.id"), index=True
    )
    patient_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("patients.id"))
    instrument_id: Mapped[str] = mapped_column(String(40))
    due_date: Mapped[date]
    opens_at: Mapped[datetime]
    closes_at: Mapped[datetime]

    assignment: Mapped[Assignment] = relationship()


class Response(UUIDPrimaryKey, Base):
    """The answers to one occurrence: a draft until submitted, then frozen and scored."""

    __tablename__ = "instrument_responses"
    __table_args__ = (
        CheckConstraint(
            "(submitted_at IS NULL) = (submission_key IS NULL)", name="submitted_with_key"
        ),
        # Covers the caseload's key totals (every patient's responses, one pass, no table
        # reads): the registry's largest read.
        Index(
            "ix_instrument_responses_patient_totals",
            "patient_id",
            "instrument_id",
            "submitted_at",
            "total",
            "id",
        ),
    )

    occurrence_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("instrument_occurrences.id"), unique=True
    )
    patient_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("patients.id"))
    instrument_id: Mapped[str] = mapped_column(String(40))
    instrument_version: Mapped[str] = mapped_column(String(20))
    locale: Mapped[str] = mapped_column(String(8))  # language the instrument was answered in
    # BCP-47 tag of the exact text answered: language and country version (e.g. es-US)
    language_tag: Mapped[str | None] = mapped_column(String(16))
    preferred_locale: Mapped[str] = mapped_column(String(8))
    answers: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    submitted_at: Mapped[datetime | None]
    submission_key: Mapped[uuid.UUID | None] = mapped_column(unique=True)
    total: Mapped[int | None]
    max_total: Mapped[int | None]
    band: Mapped[str | None] = mapped_column(String(40))
    subscales: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    critical: Mapped[bool] = mapped_column(default=False)
    # Each save of the answers is a new revision (1 for the first); alerts keep the one that
    # raised them.
    revision: Mapped[int] = mapped_column(default=0, server_default="0")

    occurrence: Mapped[Occurrence] = relationship()

    @property
    def substituted(self) -> bool:
        return self.locale != self.preferred_locale

    @property
    def answered_tag(self) -> str:
        """The language and country version answered (rows older than the column: the locale)."""
        return self.language_tag or self.locale


class CaregiverCheckin(UUIDPrimaryKey, Base):
    """A caregiver's own observations: custom, non-validated items, never part of patient scores."""

    __tablename__ = "caregiver_checkins"
    __table_args__ = tuple(
        CheckConstraint(f"{name} BETWEEN 0 AND 10", name=f"{name}_range")
        for name in ("observed_function", "observed_activity", "own_strain")
    )

    patient_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("patients.id"), index=True)
    caregiver_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"), index=True)
    observed_function: Mapped[int]
    observed_activity: Mapped[int]
    own_strain: Mapped[int]
    submission_key: Mapped[uuid.UUID] = mapped_column(unique=True)
    submitted_at: Mapped[datetime] = mapped_column(default=utcnow)


class SocialNeedReview(UUIDPrimaryKey, Base):
    """A clinician's review of one positive social-needs domain of one screen: the need was
    confirmed with the patient, or not. A screen only suggests a need; nothing is referred
    until a clinician confirms it (a later review of the same domain replaces this one)."""

    __tablename__ = "social_need_reviews"
    __table_args__ = (
        UniqueConstraint("response_id", "domain", name="uq_social_need_review_domain"),
        CheckConstraint(
            "domain IN ('food', 'housing', 'transportation', 'utilities')",
            name="social_need_domain",
        ),
    )

    patient_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("patients.id"), index=True)
    response_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("instrument_responses.id"))
    domain: Mapped[str] = mapped_column(String(20))
    confirmed: Mapped[bool]
    reviewed_by_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"))
    reviewed_at: Mapped[datetime] = mapped_column(default=utcnow)
