"""Demo data for the registry and the case-conference agenda (issue 16), through the other
features' services, so that after `flask seed-demo` the agenda of the last 7 days has a patient
for every registry rule.

The rest of the demo already provides "not improving" (the stable and worsening PHQ-9
trajectories) and "no contact for more than 4 weeks" (missed visits). This adds:

- a new patient, enrolled 3 days ago, whose first PHQ-9 (2 days ago) answers item 9 with
  "several days": a critical-answer alert and a PHQ-9 item 9 positive in the window; she has a
  first visit planned in 5 days;
- a text message from Sam Taylor kept for the care team yesterday: an urgent alert to read it.

Idempotent: nothing is added once the new patient exists. Synthetic people only.
"""

from __future__ import annotations

import uuid
from datetime import datetime, time, timedelta

from sqlalchemy import select

from app.auth.models import User
from app.careteam import services as careteam
from app.careteam.models import Clinic, Patient
from app.db import db, utcnow
from app.diary.queries import local_today, patient_zone
from app.followups.localtime import to_utc
from app.followups.models import Appointment, AppointmentStatus, Modality
from app.instruments import loader
from app.instruments import services as instruments
from app.instruments.models import Occurrence, ScheduleKind
from app.instruments.schedules import Schedule
from app.sms import patient_texts

NEW_PATIENT = ("lea@example.org", "Lea Novak", "en", "America/Chicago")
TEXT_FROM = "sam@example.org"
TEXT_BODY = "Could someone call me back about my new medication? I am not sure about the dose."
# PHQ-9 answers (0-3): a moderately severe first score with item 9 "several days" (1).
FIRST_PHQ9 = {"1": 2, "2": 2, "3": 3, "4": 2, "5": 1, "6": 2, "7": 2, "8": 1, "9": 1}


def _first_phq9(patient: Patient, lead: User, now: datetime) -> None:
    definition = loader.registry()["phq9"]
    answered = now - timedelta(days=2)
    day = local_today(patient, now=answered)
    instruments.assign_instrument(
        patient=patient,
        definition=definition,
        schedule=Schedule(kind=ScheduleKind.ONCE, start=day),
        window_days=3,
        actor=lead,
        now=answered - timedelta(hours=1),
    )
    occurrence = db.session.scalar(
        select(Occurrence).where(
            Occurrence.patient_id == patient.id, Occurrence.instrument_id == "phq9"
        )
    )
    if occurrence is None:
        return
    instruments.submit_response(
        occurrence=occurrence,
        patient=patient,
        definition=definition,
        values=FIRST_PHQ9,
        locale="en",
        submission_key=uuid.uuid4(),
        now=answered,
    )


def seed(clinic: Clinic, *, lead: User, coordinator: User) -> None:
    email, name, locale, timezone = NEW_PATIENT
    if db.session.scalar(select(User.id).where(User.email == email)) is not None:
        return
    now = utcnow()
    patient, _invitation = careteam.enroll_patient(
        enrolled_by=coordinator,
        clinic=clinic,
        display_name=name,
        email=email,
        phone=None,
        locale=locale,
        readable_locales=[locale],
        timezone=timezone,
        sms_consent_channel=None,
    )
    patient.enrolled_at = now - timedelta(days=3)
    careteam.add_to_team(patient=patient, member=lead, is_lead=True, actor=coordinator)
    db.session.add(
        Appointment(
            patient_id=patient.id,
            clinician_id=lead.id,
            starts_at=to_utc(
                local_today(patient, now=now) + timedelta(days=5),
                time(10),
                str(patient_zone(patient)),
            ),
            modality=Modality.IN_PERSON,
            status=AppointmentStatus.PLANNED,
            created_by_id=lead.id,
            created_at=now,
        )
    )
    db.session.flush()
    _first_phq9(patient, lead, now)

    sender = db.session.scalar(select(User).where(User.email == TEXT_FROM))
    if sender is not None:
        concerned = patient_texts.concerned_patients([sender], now=now)
        patient_texts.keep_text(
            sid=f"SMdemo{uuid.uuid4().hex[:26]}",
            body=TEXT_BODY,
            concerned=concerned,
            replied=True,
            now=now - timedelta(days=1),
        )
    db.session.flush()
