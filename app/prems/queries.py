"""Reads: the patient's open survey, and the rows behind the aggregates (never one patient's
answers for staff)."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select

from app.auth.models import User
from app.careteam.models import Patient
from app.db import db
from app.i18n import valid_timezone
from app.prems.instruments import COLLABORATE
from app.prems.models import PremSurvey
from app.prems.scoring import Aggregate, CollaborateScore, aggregate, quarter_of


def open_survey(patient: Patient, *, now: datetime) -> PremSurvey | None:
    """The patient's newest survey still waiting for answers."""
    return db.session.scalars(
        select(PremSurvey)
        .where(
            PremSurvey.patient_id == patient.id,
            PremSurvey.answered_at.is_(None),
            PremSurvey.expires_at > now,
        )
        .order_by(PremSurvey.invited_at.desc())
        .limit(1)
    ).first()


def survey_for(patient: Patient, survey_id: uuid.UUID) -> PremSurvey | None:
    return db.session.scalars(
        select(PremSurvey).where(PremSurvey.id == survey_id, PremSurvey.patient_id == patient.id)
    ).first()


def _score(top: bool | None, mean: float | None) -> CollaborateScore | None:
    return None if top is None or mean is None else CollaborateScore(top=top, mean=mean)


def _bounds(
    user: User, start: date, end: date, now: datetime
) -> tuple[datetime, datetime, ZoneInfo]:
    zone = ZoneInfo(valid_timezone(user.timezone) or "UTC")
    start_at = datetime.combine(start, time(0), tzinfo=zone).astimezone(UTC)
    end_at = min(
        datetime.combine(end + timedelta(days=1), time(0), tzinfo=zone).astimezone(UTC), now
    )
    return start_at, end_at, zone


def clinic_aggregates(
    coordinator: User, *, start: date, end: date, now: datetime
) -> list[Aggregate]:
    """CollaboRATE of the coordinator's clinic, answered in the period, grouped by quarter
    (in the coordinator's time zone) and discipline; key (quarter, discipline or "" for the
    whole clinic). One query."""
    start_at, end_at, zone = _bounds(coordinator, start, end, now)
    rows = db.session.execute(
        select(
            PremSurvey.answered_at,
            PremSurvey.discipline,
            PremSurvey.top_score,
            PremSurvey.mean_score,
        ).where(
            PremSurvey.clinic_id == coordinator.clinic_id,
            PremSurvey.instrument == COLLABORATE,
            PremSurvey.answered_at >= start_at,
            PremSurvey.answered_at < end_at,
        )
    ).all()
    pairs = []
    for answered_at, discipline, top, mean in rows:
        quarter = quarter_of(answered_at.astimezone(zone).date())
        score = _score(top, mean)
        pairs.append(((quarter, ""), score))
        pairs.append(((quarter, discipline or "-"), score))
    return aggregate(pairs)


def own_aggregate(clinician: User) -> Aggregate | None:
    """The clinician's own CollaboRATE over all their answered surveys (None: none yet)."""
    rows = db.session.execute(
        select(PremSurvey.top_score, PremSurvey.mean_score).where(
            PremSurvey.clinician_id == clinician.id,
            PremSurvey.instrument == COLLABORATE,
            PremSurvey.answered_at.is_not(None),
        )
    ).all()
    if not rows:
        return None
    return aggregate([(("own",), _score(top, mean)) for top, mean in rows])[0]
