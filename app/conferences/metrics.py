"""Case-review measures of the pathway for one clinic (a fixed number of queries) and the pure
computations behind them."""

from __future__ import annotations

import statistics
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, tzinfo

from sqlalchemy import select

from app.careteam.models import CareTeamMembership, Patient
from app.conferences.models import (
    ActionKind,
    ActionStatus,
    AgendaItem,
    CaseConference,
    ConferenceAction,
)
from app.db import db
from app.trends.pathway import Rate
from app.web.periods import period_bounds
from app.web.teamcare import reason_code

REVIEW_WINDOW = timedelta(weeks=4)
ACK_WITHIN = timedelta(days=7)
NOT_IMPROVING = "not_improving"


@dataclass(frozen=True)
class CaseReview:
    reviewed: Rate
    median_days_to_review: float | None
    acknowledged_in_7_days: Rate
    on_time: Rate


def reviewed_share(active: set[uuid.UUID], discussed: list[tuple[uuid.UUID, datetime]], *, now):
    recent = {pid for pid, at in discussed if now - REVIEW_WINDOW <= at <= now}
    return Rate(len(active & recent), len(active))


def median_days(pairs: list[tuple[datetime, datetime]]) -> float | None:
    days = [(reviewed - flagged).total_seconds() / 86400 for flagged, reviewed in pairs]
    return round(statistics.median(days), 1) if days else None


def acknowledged_share(recommendations: list[ConferenceAction]) -> Rate:
    done = [
        a
        for a in recommendations
        if a.status == ActionStatus.DONE
        and a.closed_at is not None
        and a.closed_at - a.created_at <= ACK_WITHIN
    ]
    return Rate(len(done), len(recommendations))


def on_time_share(actions: list[ConferenceAction], *, today: date) -> Rate:
    due = [a for a in actions if a.due_on <= today]
    done = [a for a in due if a.closed_at is not None and a.closed_at.date() <= a.due_on]
    return Rate(len(done), len(due))


def compute(
    clinic_id: uuid.UUID, *, start: date, end: date, now: datetime, zone: tzinfo = UTC
) -> CaseReview:
    """Over the local days [start, end] in `zone` (the viewer's, as the other metrics)."""
    start_at, end_at = period_bounds(start, end, zone, now=now)
    active = set(
        db.session.scalars(
            select(CareTeamMembership.patient_id)
            .join(Patient, Patient.id == CareTeamMembership.patient_id)
            .where(Patient.clinic_id == clinic_id, CareTeamMembership.ended_at.is_(None))
            .distinct()
        )
    )
    rows = db.session.execute(
        select(
            AgendaItem.patient_id,
            AgendaItem.discussed_at,
            AgendaItem.created_at,
            AgendaItem.reasons,
        )
        .join(CaseConference, CaseConference.id == AgendaItem.conference_id)
        .where(
            CaseConference.clinic_id == clinic_id,
            AgendaItem.discussed_at.is_not(None),
            AgendaItem.removed_at.is_(None),
        )
    ).all()
    discussed = [(pid, at) for pid, at, _created, _reasons in rows]
    flagged = [
        (created, at)
        for _pid, at, created, reasons in rows
        if start_at <= at < end_at and any(reason_code(r) == NOT_IMPROVING for r in reasons or [])
    ]
    actions = list(
        db.session.scalars(
            select(ConferenceAction)
            .join(CaseConference, CaseConference.id == ConferenceAction.conference_id)
            .where(
                CaseConference.clinic_id == clinic_id,
                ConferenceAction.created_at >= start_at,
                ConferenceAction.created_at < end_at,
            )
        )
    )
    return CaseReview(
        reviewed=reviewed_share(active, discussed, now=now),
        median_days_to_review=median_days(flagged),
        acknowledged_in_7_days=acknowledged_share(
            [a for a in actions if a.kind == ActionKind.RECOMMENDATION]
        ),
        on_time=on_time_share(actions, today=now.date()),
    )
