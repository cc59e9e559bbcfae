"""Care-plan versions (one row per save, never overwritten) and patient comments."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import CheckConstraint, ForeignKey, Index, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.auth.models import User
from app.careplan.content import PlanContent
from app.db import Base, UUIDPrimaryKey, utcnow
from app.security import EncryptedJSON, EncryptedText


class CarePlanVersion(UUIDPrimaryKey, Base):
    """One saved state of a patient's plan. Version numbers start at 1 and never repeat."""

    __tablename__ = "care_plan_versions"
    __table_args__ = (
        UniqueConstraint("patient_id", "version", name="uq_care_plan_versions_patient_version"),
        CheckConstraint("version >= 1", name="version_positive"),
    )

    # UNIQUE(patient_id, version) also serves look-ups by patient.
    patient_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("patients.id"))
    version: Mapped[int]
    author_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # The whole document (hypotheses, goals, interventions, escalation criteria, crisis plan) is
    # free text about the patient: encrypted at rest as one token; nothing in it is queried.
    content: Mapped[dict[str, Any]] = mapped_column(EncryptedJSON())

    author: Mapped[User] = relationship()

    @property
    def plan(self) -> PlanContent:
        return PlanContent.from_json(self.content)


class CarePlanComment(UUIDPrimaryKey, Base):
    """A patient's comment for their care team, tied to the version they were reading."""

    __tablename__ = "care_plan_comments"
    __table_args__ = (Index("ix_care_plan_comments_patient_created", "patient_id", "created_at"),)

    patient_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("patients.id"))
    author_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"))
    plan_version: Mapped[int | None]
    # Encrypted at rest; COMMENT_MAX is checked by the form and the service (ciphertext is longer).
    body: Mapped[str] = mapped_column(EncryptedText())
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    author: Mapped[User] = relationship()
