"""Texts from patients and caregivers that are neither a keyword nor an expected answer.

Words from a patient are never dropped (CLINICAL.md, Safety): the text is kept encrypted, one
row per patient it concerns, the care team is alerted (`app.signals.text_kept`), and the automatic
reply carries the clinic's crisis line and says texts are not monitored around the clock.
Heed does not judge the words; a person reads them.

Whom a text concerns: a patient's own text concerns their record; a caregiver's text concerns
every patient who currently grants that caregiver any consent scope. Several accounts on one
number (a shared family phone): the text concerns each of their patients, once per patient.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from flask import current_app
from sqlalchemy import select

from app import audit
from app.access import active_grant_clause
from app.auth.models import Role, User
from app.careteam.models import CaregiverLink, ConsentGrant, Patient
from app.db import db
from app.signals import crisis_lines, text_kept
from app.sms import bodies
from app.sms.models import PatientText
from app.sms.segments import MAX_SEGMENTS, count


@dataclass(frozen=True)
class Concerned:
    patient_id: uuid.UUID
    clinic_id: uuid.UUID
    sender: User


def concerned_patients(users: Sequence[User], *, now: datetime) -> list[Concerned]:
    """The patients a text from these accounts concerns, each once (the first sender wins)."""
    found: dict[uuid.UUID, Concerned] = {}
    for user in users:
        if user.role == Role.PATIENT:
            rows = db.session.execute(
                select(Patient.id, Patient.clinic_id).where(Patient.user_id == user.id)
            ).all()
        elif user.role == Role.CAREGIVER:
            rows = db.session.execute(
                select(Patient.id, Patient.clinic_id)
                .join(CaregiverLink, CaregiverLink.patient_id == Patient.id)
                .join(ConsentGrant, ConsentGrant.link_id == CaregiverLink.id)
                .where(CaregiverLink.caregiver_id == user.id, active_grant_clause(now))
                .distinct()
                .order_by(Patient.id)
            ).all()
        else:
            rows = []
        for patient_id, clinic_id in rows:
            found.setdefault(patient_id, Concerned(patient_id, clinic_id, user))
    return list(found.values())


def keep_text(
    *, sid: str, body: str, concerned: Sequence[Concerned], replied: bool, now: datetime
) -> list[PatientText]:
    """Store the text for each patient it concerns, audit it, and tell the care team."""
    kept = []
    for item in concerned:
        text = PatientText(
            sid=sid,
            patient_id=item.patient_id,
            sender_id=item.sender.id,
            sender_role=item.sender.role.value,
            body=body,
            received_at=now,
            replied=replied,
        )
        db.session.add(text)
        db.session.flush()
        audit.record(
            "sms.text_kept",
            patient_id=item.patient_id,
            object_type="patient_text",
            object_id=str(text.id),
        )
        text_kept.send(
            current_app._get_current_object(),  # type: ignore[attr-defined]
            text_id=text.id,
            patient_id=item.patient_id,
            sender_id=item.sender.id,
        )
        kept.append(text)
    return kept


def _lines(clinic_id: uuid.UUID, locales: list[str]) -> list[tuple[str, str]]:
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    for _receiver, answer in crisis_lines.send(app, clinic_id=clinic_id, locales=locales):
        if answer:
            return list(answer)
    return []


def kept_reply(*, locale: str, clinic_id: uuid.UUID) -> str:
    """The automatic reply in the sender's language: the clinic's first crisis line (label and
    contact; only the contact when the label would make it longer than two segments), and that
    texts are not monitored around the clock. No names and nothing from the text itself."""
    locales = [locale, current_app.config["DEFAULT_LOCALE"], "en"]
    lines = _lines(clinic_id, list(dict.fromkeys(locales)))
    if not lines:
        return bodies.render(locale, bodies.kept_reply_without_line)
    label, contact = lines[0]
    for crisis in (f"{label} {contact}", contact):
        reply = bodies.render(locale, bodies.kept_reply, crisis)
        if count(reply).segments <= MAX_SEGMENTS:
            return reply
    return reply
