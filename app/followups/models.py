"""Follow-up appointments: scheduled by the care team, shown to the patient (their next one) and
to clinicians (upcoming list, pre-visit summary). Questionnaire schedules count back from them.

`starts_at` is UTC; the local time is always shown in the patient's time zone.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Base, UUIDPrimaryKey, str_enum, utcnow


class Modality(StrEnum):
    IN_PERSON = "in_person"
    TELEHEALTH = "telehealth"


class AppointmentStatus(StrEnum):
    PLANNED = "planned"
    DONE = "done"
    MISSED = "missed"
    CANCELLED = "cancelled"


class Appointment(UUIDPrimaryKey, Base):
    __tablename__ = "appointments"
    __table_args__ = (Index("ix_appointments_clinician_id_starts_at", "clinician_id", "starts_at"),)

    patient_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("patients.id"), index=True)
    clinician_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"), index=True)
    starts_at: Mapped[datetime]
    modality: Mapped[Modality] = mapped_column(str_enum(Modality, "appointment_modality"))
    status: Mapped[AppointmentStatus] = mapped_column(
        str_enum(AppointmentStatus, "appointment_status"), default=AppointmentStatus.PLANNED
    )
    telehealth_url: Mapped[str | None] = mapped_column(String(500))
    created_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime | None]
