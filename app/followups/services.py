"""Scheduling follow-ups and recording what happened. Services flush; the request commits."""

from __future__ import annotations

from datetime import datetime

from app import audit
from app.auth.models import User
from app.careteam.models import Patient
from app.db import db, utcnow
from app.followups.models import Appointment, AppointmentStatus, Modality


def schedule(
    *,
    patient: Patient,
    clinician: User,
    starts_at: datetime,
    modality: Modality,
    telehealth_url: str | None,
    actor: User,
) -> Appointment:
    appointment = Appointment(
        patient_id=patient.id,
        clinician_id=clinician.id,
        starts_at=starts_at,
        modality=modality,
        telehealth_url=telehealth_url if modality == Modality.TELEHEALTH else None,
        status=AppointmentStatus.PLANNED,
        created_by_id=actor.id,
    )
    return audit.add(
        appointment, "followup.schedule", patient_id=patient.id, object_type="appointment"
    )


def set_status(*, appointment: Appointment, status: AppointmentStatus) -> Appointment:
    if appointment.status != status:
        appointment.status = status
        appointment.updated_at = utcnow()
        db.session.flush()
        audit.record(
            "followup.status",
            patient_id=appointment.patient_id,
            object_type="appointment",
            object_id=str(appointment.id),
        )
    return appointment
