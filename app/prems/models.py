"""One row per experience survey: the invitation after a completed follow-up and, once answered,
the patient's answers and score. Kept apart from questionnaires (PROMs): never on the clinical
record, never an alert source, reported only in aggregate (docs/experience.md).

`clinic_id` and `discipline` are copied at invitation time so the aggregates stay stable when a
clinician changes clinic or discipline later.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Base, UUIDPrimaryKey, utcnow


class PremSurvey(UUIDPrimaryKey, Base):
    __tablename__ = "prem_surveys"
    __table_args__ = (
        CheckConstraint("expires_at > invited_at", name="window_not_inverted"),
        CheckConstraint("(answered_at IS NULL) = (answers IS NULL)", name="answered_has_answers"),
        CheckConstraint(
            "mean_score IS NULL OR (mean_score >= 0 AND mean_score <= 4)", name="mean_range"
        ),
        Index("ix_prem_surveys_clinic_id_answered_at", "clinic_id", "answered_at"),
        Index("ix_prem_surveys_patient_id_invited_at", "patient_id", "invited_at"),
    )

    patient_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("patients.id"))
    appointment_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("appointments.id"), unique=True
    )
    clinician_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"), index=True)
    clinic_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("clinics.id"))
    discipline: Mapped[str | None] = mapped_column(String(24))
    instrument: Mapped[str] = mapped_column(String(24))
    invited_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    answered_at: Mapped[datetime | None]
    # The language of the text answered, and whether it replaced the patient's own language.
    language_tag: Mapped[str | None] = mapped_column(String(35))
    substituted: Mapped[bool] = mapped_column(default=False)
    # Item id -> value (0-4), or None when the item was left unanswered.
    answers: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    top_score: Mapped[bool | None]
    mean_score: Mapped[float | None]
