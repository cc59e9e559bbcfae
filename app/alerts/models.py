"""Alerts for the care team, and the crisis resources shown to patients (per clinic and locale).

The alerts issue adds routing and escalation; here an alert is created and acknowledged.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum

from sqlalchemy import CheckConstraint, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Base, UUIDPrimaryKey, str_enum, utcnow


class Severity(StrEnum):
    URGENT = "urgent"
    NORMAL = "normal"


class Alert(UUIDPrimaryKey, Base):
    __tablename__ = "alerts"
    __table_args__ = (
        # One alert per rule and source object: repeated saves never duplicate it.
        UniqueConstraint("rule_code", "source_type", "source_id", name="uq_alerts_source"),
        CheckConstraint(
            "(acknowledged_at IS NULL) = (acknowledged_by_id IS NULL)", name="ack_complete"
        ),
    )

    patient_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("patients.id"), index=True)
    rule_code: Mapped[str] = mapped_column(String(40))
    severity: Mapped[Severity] = mapped_column(str_enum(Severity, "alert_severity"))
    source_type: Mapped[str] = mapped_column(String(40))
    source_id: Mapped[uuid.UUID]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    acknowledged_at: Mapped[datetime | None]
    acknowledged_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))
    note: Mapped[str | None] = mapped_column(String(1000))


class CrisisResource(UUIDPrimaryKey, Base):
    """A crisis line or service for one clinic and locale. Configuration, never hard-coded."""

    __tablename__ = "crisis_resources"
    __table_args__ = (
        UniqueConstraint("clinic_id", "locale", "label", name="uq_crisis_resources_entry"),
    )

    clinic_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("clinics.id"), index=True)
    locale: Mapped[str] = mapped_column(String(8))
    label: Mapped[str] = mapped_column(String(200))
    contact: Mapped[str] = mapped_column(String(100))
    position: Mapped[int] = mapped_column(default=0)
