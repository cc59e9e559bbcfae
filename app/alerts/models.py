"""Alerts for the care team, per-patient alert thresholds, and the crisis resources shown to
patients (per clinic and locale).

At most one alert per rule and patient is open at a time; a repeat attaches to it (AlertSource
records every triggering object, so raising the same source twice changes nothing).
"""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, String, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Base, UUIDPrimaryKey, str_enum, utcnow
from app.security import EncryptedText


class Severity(StrEnum):
    URGENT = "urgent"
    NORMAL = "normal"


# The acknowledgement note's length limit, checked by the form and the service (the column is
# encrypted, and ciphertext is longer than the text).
NOTE_MAX = 1000


class Alert(UUIDPrimaryKey, Base):
    __tablename__ = "alerts"
    __table_args__ = (
        CheckConstraint(
            "(acknowledged_at IS NULL) = (acknowledged_by_id IS NULL)", name="ack_complete"
        ),
        CheckConstraint("repeat_count >= 0", name="repeat_count_non_negative"),
        Index(
            "uq_alerts_one_open_per_rule",
            "patient_id",
            "rule_code",
            unique=True,
            sqlite_where=text("acknowledged_at IS NULL"),
            postgresql_where=text("acknowledged_at IS NULL"),
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
    note: Mapped[str | None] = mapped_column(EncryptedText())  # free text, encrypted at rest
    last_raised_at: Mapped[datetime | None]
    repeat_count: Mapped[int] = mapped_column(default=0)
    escalated_at: Mapped[datetime | None]
    # When the urgent-alert email went out (app/alerts/notify.py), and the escalation email.
    notified_at: Mapped[datetime | None]
    escalation_notified_at: Mapped[datetime | None]


class AlertSource(UUIDPrimaryKey, Base):
    """Each object that raised (or re-raised) an alert; unique per rule and object."""

    __tablename__ = "alert_sources"
    __table_args__ = (
        UniqueConstraint("rule_code", "source_type", "source_id", name="uq_alert_sources_source"),
    )

    alert_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("alerts.id"), index=True)
    rule_code: Mapped[str] = mapped_column(String(40))
    source_type: Mapped[str] = mapped_column(String(40))
    source_id: Mapped[uuid.UUID]
    raised_at: Mapped[datetime] = mapped_column(default=utcnow)
    # What raised it, as it was then: for a questionnaire answer
    # {"instrument": "phq9", "response_id": "...", "revision": 2, "items": {"9": 2}}.
    snapshot: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    # The same, as it is now, when it changed after raising the alert (`services.record_source_change`).
    latest: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    changed_at: Mapped[datetime | None]

    @property
    def changed(self) -> bool:
        """The values that raised the alert differ from the current ones."""
        return (
            self.latest is not None
            and self.snapshot is not None
            and self.latest.get("items") != self.snapshot.get("items")
        )


class AlertSettings(Base):
    """Per-patient thresholds set by the care team (defaults apply without a row)."""

    __tablename__ = "alert_settings"
    __table_args__ = (
        CheckConstraint("no_diary_days BETWEEN 1 AND 60", name="no_diary_days_range"),
        CheckConstraint("symptom_rise_points BETWEEN 1 AND 10", name="symptom_rise_range"),
    )

    patient_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("patients.id"), primary_key=True)
    no_diary_days: Mapped[int] = mapped_column(default=5)
    symptom_rise_points: Mapped[int] = mapped_column(default=2)
    worsening_alerts: Mapped[bool] = mapped_column(default=True)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))


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
