"""Demo experience surveys: synthetic CollaboRATE responses for the metrics page, enough for
one group above the reporting threshold (primary care: 30) and one below it (psychology: 10).

All fall in one quarter, between 31 and 80 days ago (within the metrics page's default 90
days), so each patient's newest is more than 30 days old and a follow-up marked done in the
demo still invites them. Being synthetic history, they are spaced closer than the 30-day rule
allows for real invitations. Idempotent: a clinic that has surveys is left alone.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import exists, select

from app.auth.models import Discipline, User
from app.careteam.models import Clinic, Patient
from app.db import db, utcnow
from app.prems.instruments import COLLABORATE
from app.prems.models import PremSurvey
from app.prems.scoring import collaborate_score

# Answers to items 1-3, cycled (None: left unanswered, so that response is not scored).
PATTERNS: dict[Discipline, list[tuple[int | None, ...]]] = {
    Discipline.PRIMARY_CARE: [
        (4, 4, 4),
        (4, 4, 4),
        (3, 4, 4),
        (4, 4, 4),
        (2, 3, 3),
        (4, 4, 4),
        (4, 3, 4),
        (4, 4, 4),
        (1, 2, 2),
        (4, None, 4),
    ],
    Discipline.PSYCHOLOGY: [(4, 4, 4), (3, 3, 4), (4, 4, 3), (2, 2, 3), (4, 4, 4)],
}
COUNTS = {Discipline.PRIMARY_CARE: 31, Discipline.PSYCHOLOGY: 10}


def seed_experience(clinic: Clinic, patients: list[Patient], clinicians: list[User]) -> int:
    """Returns the number of surveys added."""
    if db.session.scalar(select(exists().where(PremSurvey.clinic_id == clinic.id))):
        return 0
    zone = ZoneInfo(clinic.timezone or "UTC")
    today = utcnow().astimezone(zone).date()
    anchor = today - timedelta(days=31)
    quarter_start = anchor.replace(month=(anchor.month - 1) // 3 * 3 + 1, day=1)
    span = min(50, (anchor - quarter_start).days + 1)
    by_discipline = {c.discipline: c for c in clinicians if c.discipline in COUNTS}
    added = 0
    for discipline, count in COUNTS.items():
        clinician = by_discipline.get(discipline)
        if clinician is None:
            continue
        for index in range(count):
            patient = patients[(index + added) % len(patients)]
            day = anchor - timedelta(days=(index * 7 + added) % span)
            answered_at = datetime.combine(day, time(18, index % 60), tzinfo=zone)
            values = PATTERNS[discipline][index % len(PATTERNS[discipline])]
            answers = {str(n + 1): value for n, value in enumerate(values)}
            score = collaborate_score(answers)
            db.session.add(
                PremSurvey(
                    patient_id=patient.id,
                    clinician_id=clinician.id,
                    clinic_id=clinic.id,
                    discipline=discipline.value,
                    instrument=COLLABORATE,
                    invited_at=answered_at - timedelta(hours=2),
                    expires_at=answered_at + timedelta(days=7),
                    answered_at=answered_at,
                    language_tag="en",
                    substituted=patient.user.locale != "en",
                    answers=answers,
                    top_score=score.top if score else None,
                    mean_score=score.mean if score else None,
                )
            )
        added += count
    db.session.flush()
    return added
