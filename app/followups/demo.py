"""Demo follow-ups: past visits (done or missed) for every demo patient and, for the lead
clinician, several in the next 7 days (today included). Deterministic and idempotent: a patient
who already has appointments is left alone. Freshly seeded patients are back-dated to an
enrollment before their synthetic history so pathway metrics have something to measure."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from sqlalchemy import insert, select

from app.auth.models import User
from app.careteam.models import Patient
from app.db import db, utcnow
from app.diary.queries import local_today, patient_zone
from app.followups.localtime import to_utc
from app.followups.models import Appointment, AppointmentStatus, Modality

HISTORY_DAYS = 120
DEMO_LINK = "https://video.example.org/heed-demo"


def _at(patient: Patient, days: int, hour: int, now: datetime) -> datetime:
    day = local_today(patient, now=now) + timedelta(days=days)
    return to_utc(day, time(hour, 30 if hour % 2 else 0), str(patient_zone(patient)))


def seed_followups(patients: list[Patient], *, lead: User, others: list[User]) -> int:
    """Returns the number of appointments added."""
    now = utcnow()
    have = set(
        db.session.scalars(
            select(Appointment.patient_id).where(
                Appointment.patient_id.in_([p.id for p in patients])
            )
        )
    )
    rows = []
    for index, patient in enumerate(patients):
        if patient.id in have:
            continue
        if patient.enrolled_at > now - timedelta(days=1):
            patient.enrolled_at = now - timedelta(days=HISTORY_DAYS + 2)
        other = others[index % len(others)]
        # Past: first visit about 3 weeks after enrollment (some later than 4 weeks), then every ~4 weeks.
        first = -HISTORY_DAYS + (20 if index % 4 else 35)
        past = [
            (first, lead, AppointmentStatus.DONE),
            (first + 28, other, AppointmentStatus.DONE if index % 5 else AppointmentStatus.MISSED),
            (first + 56, lead, AppointmentStatus.DONE),
            (
                -14 - index % 5,
                lead,
                AppointmentStatus.DONE if index % 3 else AppointmentStatus.MISSED,
            ),
        ]
        # Ahead: the lead sees everyone within the week, three of them today.
        ahead = [
            (min(index // 2, 6), lead, AppointmentStatus.PLANNED),
            (21 + index % 7, other, AppointmentStatus.PLANNED),
        ]
        for n, (days, clinician, status) in enumerate([*past, *ahead]):
            modality = Modality.TELEHEALTH if (index + n) % 3 == 0 else Modality.IN_PERSON
            hour = 9 + (index * 2 + n) % 8 if days else 9 + index % 3 * 3
            rows.append(
                {
                    "patient_id": patient.id,
                    "clinician_id": clinician.id,
                    "starts_at": _at(patient, days, hour, now),
                    "modality": modality,
                    "telehealth_url": DEMO_LINK if modality == Modality.TELEHEALTH else None,
                    "status": status,
                    "created_by_id": lead.id,
                    "created_at": now,
                }
            )
    if rows:
        db.session.execute(insert(Appointment), rows)
    db.session.flush()
    return len(rows)
