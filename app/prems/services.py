"""Inviting a patient to an experience survey after a completed follow-up, and recording their
answers. Services flush; the request or job commits. PREMs never raise alerts."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import exists, select

from app import audit
from app.alerts.models import Alert, Severity
from app.auth.models import User
from app.careteam.models import Patient
from app.db import db
from app.prems.instruments import COLLABORATE, INSTRUMENTS, OFFICIAL_LANGUAGES
from app.prems.models import PremSurvey
from app.prems.scoring import collaborate_score

# At most one invitation per patient in this many days (CLINICAL.md, PREMs).
INTERVAL = timedelta(days=30)
# How long an invitation stays open (the authors advise answering within 24-48 hours).
OPEN_FOR = timedelta(days=7)


def text_language(patient: Patient, instrument: str) -> tuple[str, bool] | None:
    """(language of the text the patient will answer, whether it is a substitution), or None
    when no text of the instrument is in a language the patient reads."""
    official = OFFICIAL_LANGUAGES[instrument]
    locale = patient.user.locale
    if locale in official:
        return locale, False
    readable = [code for code in patient.readable_locales or [] if code in official]
    return (readable[0], True) if readable else None


def answerable(*, patient: Patient, survey: PremSurvey, now: datetime) -> tuple[str, bool] | None:
    """The language the survey is answered in, or None when it is answered, expired or has no
    text the patient reads (the page then says it is closed)."""
    if survey.answered_at is not None or survey.expires_at <= now:
        return None
    return text_language(patient, survey.instrument)


def has_open_urgent_alert(patient_id: uuid.UUID) -> bool:
    """An unacknowledged urgent alert (critical answers raise urgent alerts)."""
    return bool(
        db.session.scalar(
            select(
                exists().where(
                    Alert.patient_id == patient_id,
                    Alert.acknowledged_at.is_(None),
                    Alert.severity == Severity.URGENT,
                )
            )
        )
    )


def invited_since(patient_id: uuid.UUID, since: datetime) -> bool:
    return bool(
        db.session.scalar(
            select(
                exists().where(PremSurvey.patient_id == patient_id, PremSurvey.invited_at > since)
            )
        )
    )


def invite_after_visit(
    *,
    appointment_id: uuid.UUID,
    patient_id: uuid.UUID,
    clinician_id: uuid.UUID,
    now: datetime,
) -> PremSurvey | None:
    """Invite the patient to CollaboRATE about this visit, unless: they were invited in the last
    30 days, an urgent alert of theirs is open, the visit already has a survey, their account
    is inactive, or they read no language the instrument has a text in."""
    patient = db.session.get(Patient, patient_id)
    clinician = db.session.get(User, clinician_id)
    if patient is None or not patient.user.active or clinician is None:
        return None
    if db.session.scalar(select(exists().where(PremSurvey.appointment_id == appointment_id))):
        return None
    if invited_since(patient_id, now - INTERVAL) or has_open_urgent_alert(patient_id):
        return None
    if text_language(patient, COLLABORATE) is None:
        return None
    survey = PremSurvey(
        patient_id=patient_id,
        appointment_id=appointment_id,
        clinician_id=clinician_id,
        clinic_id=patient.clinic_id,
        discipline=clinician.discipline.value if clinician.discipline else None,
        instrument=COLLABORATE,
        invited_at=now,
        expires_at=now + OPEN_FOR,
    )
    return audit.add(survey, "prems.invite", patient_id=patient_id, object_type="prem_survey")


class BadAnswers(ValueError):
    """Posted answers that are not the instrument's (nothing was written)."""


@dataclass(frozen=True)
class Answered:
    survey: PremSurvey
    scored: bool


def answer(
    *,
    survey: PremSurvey,
    answers: dict[str, int | None],
    language_tag: str,
    substituted: bool,
    now: datetime,
) -> Answered:
    """Record the patient's answers (None: left unanswered) and their score. Raises BadAnswers
    for an unknown item or value, or when nothing at all was answered."""
    instrument = INSTRUMENTS[survey.instrument]
    if set(answers) - set(instrument.item_ids):
        raise BadAnswers("unknown item")
    if any(value is not None and value not in instrument.values for value in answers.values()):
        raise BadAnswers("value out of range")
    if all(value is None for value in answers.values()):
        raise BadAnswers("nothing answered")
    full = {item_id: answers.get(item_id) for item_id in instrument.item_ids}
    score = collaborate_score(full)
    survey.answers = full
    survey.answered_at = now
    survey.language_tag = language_tag
    survey.substituted = substituted
    survey.top_score = score.top if score else None
    survey.mean_score = score.mean if score else None
    db.session.flush()
    audit.record(
        "prems.answer",
        patient_id=survey.patient_id,
        object_type="prem_survey",
        object_id=str(survey.id),
    )
    return Answered(survey=survey, scored=score is not None)
