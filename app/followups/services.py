"""Scheduling follow-ups and recording what happened. Services flush; the request commits."""

from __future__ import annotations

from datetime import datetime

from flask import current_app
from flask_babel import gettext as _

from app import audit
from app.auth.models import User
from app.careteam.models import Patient
from app.db import db, utcnow
from app.followups.models import Appointment, AppointmentStatus, Modality
from app.signals import followup_done


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


# What can only be said of a follow-up once it has started.
AFTER_START = frozenset({AppointmentStatus.DONE, AppointmentStatus.MISSED})


class NotYetStarted(ValueError):
    """A follow-up was to be marked done or missed before its start time."""

    def __init__(self) -> None:
        super().__init__(_("A follow-up can be marked as done or missed only once it has started."))


def may_mark(appointment: Appointment, status: AppointmentStatus, *, now: datetime) -> bool:
    """Done and missed describe the past: they wait for the start time; the rest do not."""
    return status not in AFTER_START or appointment.starts_at <= now


def set_status(*, appointment: Appointment, status: AppointmentStatus) -> Appointment:
    """Raises NotYetStarted (nothing changed) for done or missed before the start time."""
    if not may_mark(appointment, status, now=utcnow()):
        raise NotYetStarted
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
        if status == AppointmentStatus.DONE:
            followup_done.send(
                current_app._get_current_object(),  # type: ignore[attr-defined]
                appointment_id=appointment.id,
                patient_id=appointment.patient_id,
                clinician_id=appointment.clinician_id,
                starts_at=appointment.starts_at,
                now=utcnow(),
            )
    return appointment
