"""Reads over follow-up appointments. Each issues one query, whatever the number of rows."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from app.auth.models import Role, User
from app.careteam.models import CareTeamMembership, Patient
from app.db import db
from app.followups.models import Appointment, AppointmentStatus


@dataclass(frozen=True)
class Visit:
    appointment: Appointment
    clinician: User


def for_patient(patient: Patient) -> list[Visit]:
    """Every appointment of the patient, newest first, with the clinician."""
    rows = db.session.execute(
        select(Appointment, User)
        .join(User, User.id == Appointment.clinician_id)
        .where(Appointment.patient_id == patient.id)
        .order_by(Appointment.starts_at.desc())
    ).all()
    return [Visit(appointment, clinician) for appointment, clinician in rows]


def appointment_for(patient: Patient, appointment_id: uuid.UUID | None) -> Appointment | None:
    if appointment_id is None:
        return None
    return db.session.scalar(
        select(Appointment).where(
            Appointment.id == appointment_id, Appointment.patient_id == patient.id
        )
    )


def next_for_patient(patient: Patient, *, now: datetime) -> Visit | None:
    row = db.session.execute(
        select(Appointment, User)
        .join(User, User.id == Appointment.clinician_id)
        .where(
            Appointment.patient_id == patient.id,
            Appointment.status == AppointmentStatus.PLANNED,
            Appointment.starts_at >= now,
        )
        .order_by(Appointment.starts_at)
        .limit(1)
    ).first()
    return Visit(row[0], row[1]) if row else None


def schedulable_clinicians(patient: Patient) -> list[User]:
    """Clinicians on the patient's care team now (a follow-up is with one of them)."""
    return list(
        db.session.scalars(
            select(User)
            .join(CareTeamMembership, CareTeamMembership.member_id == User.id)
            .where(
                CareTeamMembership.patient_id == patient.id,
                CareTeamMembership.ended_at.is_(None),
                User.role == Role.CLINICIAN,
                User.active.is_(True),
            )
            .order_by(CareTeamMembership.is_lead.desc(), User.display_name)
        )
    )


@dataclass(frozen=True)
class Upcoming:
    appointment: Appointment
    patient: Patient


def upcoming_for_clinician(clinician: User, *, start: datetime, end: datetime) -> list[Upcoming]:
    """The clinician's planned follow-ups in [start, end) with patients on their care team now
    (one query; an appointment with a patient they left the team of is not listed). The
    patients' phone numbers are not read (nor decrypted, one per patient)."""
    rows = db.session.execute(
        select(Appointment, Patient)
        .options(joinedload(Patient.user).defer(User.phone))
        .join(Patient, Patient.id == Appointment.patient_id)
        .join(
            CareTeamMembership,
            (CareTeamMembership.patient_id == Patient.id)
            & (CareTeamMembership.member_id == clinician.id)
            & CareTeamMembership.ended_at.is_(None),
        )
        .where(
            Appointment.clinician_id == clinician.id,
            Appointment.status == AppointmentStatus.PLANNED,
            Appointment.starts_at >= start,
            Appointment.starts_at < end,
        )
        .order_by(Appointment.starts_at, Appointment.id)  # the same order for equal times
    ).all()
    return [Upcoming(appointment, patient) for appointment, patient in rows]
