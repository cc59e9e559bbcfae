"""Follow-ups in a patient's export: every appointment, in UTC and in the patient's local time.
Erasure clears the telehealth link (it can identify a meeting); the visits stay as
pseudonymous care data, like scores."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import aliased

from app.auth.models import User
from app.careteam.models import Patient
from app.datarights.registry import Section, eraser, exporter
from app.db import db
from app.diary.queries import patient_zone
from app.followups.models import Appointment, AppointmentStatus


@exporter(covers=(Appointment,), sections=("followups",))
def followups(patient: Patient) -> list[Section]:
    clinician = aliased(User)
    rows = db.session.execute(
        select(Appointment, clinician.display_name)
        .join(clinician, clinician.id == Appointment.clinician_id)
        .where(Appointment.patient_id == patient.id)
        .order_by(Appointment.starts_at)
    ).all()
    zone = patient_zone(patient)
    return [
        Section(
            "followups",
            [
                {
                    "starts_at": visit.starts_at.isoformat(),
                    "local_time": visit.starts_at.astimezone(zone).isoformat(timespec="minutes"),
                    "time_zone": str(zone),
                    "with": name,
                    "modality": visit.modality.value,
                    "status": visit.status.value,
                    "telehealth_link": visit.telehealth_url,
                    "scheduled_at": visit.created_at.isoformat(),
                }
                for visit, name in rows
            ],
            [_appointment(visit, name) for visit, name in rows],
        )
    ]


FHIR_STATUS = {
    AppointmentStatus.PLANNED: "booked",
    AppointmentStatus.DONE: "fulfilled",
    AppointmentStatus.MISSED: "noshow",
    AppointmentStatus.CANCELLED: "cancelled",
}


def _appointment(visit: Appointment, clinician: str) -> dict[str, Any]:
    """A follow-up as an Appointment. Heed stores no end time, so there is none (the
    telehealth link stays in the JSON and CSV export)."""
    return {
        "resourceType": "Appointment",
        "id": str(visit.id),
        "status": FHIR_STATUS[visit.status],
        "description": f"Follow-up ({visit.modality.value})",
        "start": visit.starts_at.isoformat(),
        "created": visit.created_at.isoformat(),
        "participant": [
            {"actor": {"reference": f"Patient/{visit.patient_id}"}, "status": "accepted"},
            {"actor": {"type": "Practitioner", "display": clinician}, "status": "accepted"},
        ],
    }


@eraser(covers=(Appointment,))
def erase_telehealth_links(patient: Patient) -> None:
    db.session.execute(
        update(Appointment).where(Appointment.patient_id == patient.id).values(telehealth_url=None)
    )
    db.session.flush()
